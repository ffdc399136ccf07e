package dev.tether.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import dev.tether.fixtures.LocalServer;
import dev.tether.fixtures.PatternStream;
import dev.tether.fixtures.StreamService;
import dev.tether.testing.Async;
import dev.tether.testing.Await;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The per-stream window is configurable on both sides and validated, and stream chunks never
 * exceed the frame limit the peer announced.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamWindowTest {
  @BeforeEach
  void resetFixture() {
    StreamService.Impl.reset();
  }

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
      try (LocalServer<StreamService> local = withWindow(window)) {
        StreamService s = local.proxy();
        long size = 3L * window + 12_345;
        assertThat(s.checksum(new PatternStream(size))).isEqualTo(PatternStream.checksum(size));
        try (InputStream in = s.produce(size)) {
          assertThat(crc(in)).isEqualTo(PatternStream.checksum(size));
        }
      }
    }
  }

  @Test
  void pumpsHeldToTheirWindowKeepEveryByteWhetherTheyPollOrParkForCredit() throws Exception {
    // a 16 KiB window makes each pump wait for credit about every chunk: with no spin it parks
    // and the grant must wake it; with a long one it polls, and the grant must end the poll
    int window = 16 * 1024;
    for (Duration spin : new Duration[] {Duration.ZERO, Duration.ofMillis(200)}) {
      try (LocalServer<StreamService> local = LocalServer.start("s", StreamService.class,
          new StreamService.Impl(), b -> b.streamWindowBytes(window).spin(spin),
          TetherOptions.defaults().withStreamWindowBytes(window).withSpin(spin))) {
        StreamService s = local.proxy();
        long size = 8L << 20; // 512 windows each way
        assertThat(s.checksum(new PatternStream(size))).as("upload, spin %s", spin)
            .isEqualTo(PatternStream.checksum(size));
        try (InputStream in = s.produce(size)) {
          assertThat(crc(in)).as("download, spin %s", spin)
              .isEqualTo(PatternStream.checksum(size));
        }
      }
    }
  }

  @Test
  void aConfiguredWindowBoundsWhatEachSideSendsAhead() throws Exception {
    int window = 64 * 1024;
    try (LocalServer<StreamService> local = withWindow(window)) {
      StreamService s = local.proxy();
      // a result stream the caller reads one byte of: the server's pump sends one window, waits
      try (InputStream in = s.produce(8L << 20)) {
        assertThat(in.read()).isEqualTo(PatternStream.at(0) & 0xff);
        Await.until(() -> StreamService.Impl.SOURCE.get().read.get() >= window
            && StreamControlTest.pumpWaiting("tether-stream the result of StreamService.produce"),
            "the server's pump to send a window and wait for credit");
        assertThat(StreamService.Impl.SOURCE.get().read.get()).isEqualTo(window);
        assertThat(in.readAllBytes()).hasSize((8 << 20) - 1);
      }
      // an argument stream the server reads one byte of: the caller's pump sends one window
      PatternStream source = new PatternStream(8L << 20);
      CompletableFuture<Long> call = Async.run(() -> s.readOneThenWait(source));
      assertThat(StreamService.Impl.WAITING.await(30, TimeUnit.SECONDS)).isTrue();
      Await.until(() -> source.read.get() >= window && StreamControlTest.pumpWaiting(
          "tether-stream argument 0 of StreamService.readOneThenWait"),
          "the caller's pump to send a window and wait for credit");
      assertThat(source.read.get()).isEqualTo(window);
      StreamService.Impl.RELEASE.countDown();
      assertThat(call.get(60, TimeUnit.SECONDS)).isEqualTo(8L << 20);
    }
  }

  @Test
  void chunksFitAPeerThatAcceptsOnlySmallFrames() throws Exception {
    int limit = 4096; // far below a chunk
    try (LocalServer<StreamService> local = LocalServer.start("s", StreamService.class,
        new StreamService.Impl(), b -> b.maxFrameBytes(limit),
        TetherOptions.defaults().withMaxFrameBytes(limit))) {
      StreamService s = local.proxy();
      long size = 200_000;
      assertThat(s.checksum(new PatternStream(size))).isEqualTo(PatternStream.checksum(size));
      try (InputStream in = s.produce(size)) {
        assertThat(crc(in)).isEqualTo(PatternStream.checksum(size));
      }
    }
  }

  /** A server and a client that both give each stream {@code window} bytes of credit. */
  private static LocalServer<StreamService> withWindow(int window) {
    return LocalServer.start("s", StreamService.class, new StreamService.Impl(),
        b -> b.streamWindowBytes(window), TetherOptions.defaults().withStreamWindowBytes(window));
  }
}
