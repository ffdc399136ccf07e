package dev.tether.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.Tether;
import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import dev.tether.fixtures.PatternStream;
import dev.tether.fixtures.StreamService;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The per-stream window is configurable on both sides and validated, and stream chunks never
 * exceed the frame limit the peer announced.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamWindowTest {
  private static long crc(InputStream in) throws Exception {
    CRC32 crc = new CRC32();
    byte[] b = new byte[10_000];
    int n;
    while ((n = in.read(b)) >= 0) {
      crc.update(b, 0, n);
    }
    return crc.getValue();
  }

  @Test
  void windowsOutsideTheirRangeAreRefusedWithTheRange() {
    assertThatThrownBy(() -> TetherOptions.defaults().withStreamWindowBytes(1024))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("streamWindowBytes must be between 16384 and 67108864");
    assertThatThrownBy(() -> TetherServer.builder().streamWindowBytes(128 << 20))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("streamWindowBytes");
    assertThat(TetherOptions.defaults().streamWindowBytes())
        .isEqualTo(TetherOptions.DEFAULT_STREAM_WINDOW_BYTES).isEqualTo(1 << 20);
  }

  @Test
  void streamsFlowBothWaysWithSmallAndLargeWindows() throws Exception {
    for (int window : new int[] {16 * 1024, 4 << 20}) {
      try (TetherServer server = TetherServer.builder()
              .export("s", StreamService.class, new StreamService.Impl())
              .streamWindowBytes(window).start();
          Tether client = Tether.connect(server.address(),
              TetherOptions.defaults().withStreamWindowBytes(window))) {
        StreamService s = client.get(StreamService.class, "s");
        long size = 3L * window + 12_345;
        assertThat(s.checksum(new PatternStream(size))).isEqualTo(PatternStream.checksum(size));
        try (InputStream in = s.produce(size)) {
          assertThat(crc(in)).isEqualTo(PatternStream.checksum(size));
        }
      }
    }
  }

  @Test
  void chunksFitAPeerThatAcceptsOnlySmallFrames() throws Exception {
    int limit = 4096; // far below a chunk
    try (TetherServer server = TetherServer.builder()
            .export("s", StreamService.class, new StreamService.Impl())
            .maxFrameBytes(limit).start();
        Tether client = Tether.connect(server.address(),
            TetherOptions.defaults().withMaxFrameBytes(limit))) {
      StreamService s = client.get(StreamService.class, "s");
      long size = 200_000;
      assertThat(s.checksum(new PatternStream(size))).isEqualTo(PatternStream.checksum(size));
      try (InputStream in = s.produce(size)) {
        assertThat(crc(in)).isEqualTo(PatternStream.checksum(size));
      }
    }
  }
}
