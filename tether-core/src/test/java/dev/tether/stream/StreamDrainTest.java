package dev.tether.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.fixtures.LocalServer;
import dev.tether.fixtures.PatternStream;
import dev.tether.fixtures.StreamService;
import dev.tether.internal.stream.StreamLimits;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A graceful shutdown lets result streams that are still flowing finish: their call has answered,
 * but the client is still owed the rest of the data, so it is not cut off.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StreamDrainTest {
  static final long SIZE = 4L * StreamLimits.DEFAULT_WINDOW_BYTES + 123;

  @Test
  void shutdownWaitsForAResultStreamStillFlowing() throws Exception {
    try (LocalServer<StreamService> served = LocalServer.start("streams", StreamService.class,
        new StreamService.Impl())) {
      try (InputStream in = served.proxy().produce(SIZE)) {
        CRC32 crc = new CRC32();
        byte[] b = new byte[64 * 1024];
        long total = readSome(in, b, crc); // the transfer is under way
        served.server().shutdown();
        int n;
        while ((n = in.read(b)) >= 0) {
          crc.update(b, 0, n);
          total += n;
        }
        assertThat(total).isEqualTo(SIZE);
        assertThat(crc.getValue()).isEqualTo(PatternStream.checksum(SIZE));
      }
      assertThat(served.server().awaitTermination(Duration.ofSeconds(30)))
          .as("the connection closes once the stream is done").isTrue();
    }
  }

  @Test
  void closeWaitsForAResultStreamWithinTheDrainTimeout() throws Exception {
    try (LocalServer<StreamService> served = LocalServer.start("streams", StreamService.class,
        new StreamService.Impl(), b -> b.drainTimeout(Duration.ofSeconds(30)),
        dev.tether.TetherOptions.defaults())) {
      InputStream in = served.proxy().produce(SIZE);
      CRC32 crc = new CRC32();
      byte[] b = new byte[64 * 1024];
      long[] total = {readSome(in, b, crc)};
      AtomicReference<Exception> failure = new AtomicReference<>();
      Thread reader = Thread.ofPlatform().start(() -> {
        try (in) {
          int n;
          while ((n = in.read(b)) >= 0) {
            crc.update(b, 0, n);
            total[0] += n;
          }
        } catch (Exception e) {
          failure.set(e);
        }
      });
      served.server().close(); // returns once the stream is done (or the drain timeout passed)
      reader.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(failure.get()).as("the reader's failure").isNull();
      assertThat(total[0]).isEqualTo(SIZE);
      assertThat(crc.getValue()).isEqualTo(PatternStream.checksum(SIZE));
    }
  }

  private static long readSome(InputStream in, byte[] b, CRC32 crc) throws Exception {
    int n = in.read(b);
    assertThat(n).isPositive();
    crc.update(b, 0, n);
    return n;
  }
}
