package dev.tether.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.Tether;
import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import dev.tether.fixtures.PatternStream;
import dev.tether.fixtures.StreamService;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streams of many chunks arrive intact over loopback TCP and over TLS, whose links deliver the
 * chunks (read into the connection's direct buffers) in pieces of their own sizes.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StreamsOverNetworkTest {
  private static final long SIZE = (5L << 20) + 12_345;

  @TempDir
  static Path dir;
  static TestCertificates certs;

  @BeforeAll
  static void makeCertificates() throws Exception {
    certs = TestCertificates.generate(dir);
  }

  private static long crc(InputStream in) throws Exception {
    CRC32 crc = new CRC32();
    byte[] b = new byte[50_000];
    int n;
    while ((n = in.read(b)) >= 0) {
      crc.update(b, 0, n);
    }
    return crc.getValue();
  }

  private static void bothWays(TetherServer.Builder server, TetherOptions options)
      throws Exception {
    try (TetherServer s = server.export("streams", StreamService.class, new StreamService.Impl())
        .listen("tcp:127.0.0.1:0").start();
        Tether t = Tether.connect(s.address(), options)) {
      StreamService service = t.get(StreamService.class, "streams");
      long expected = PatternStream.checksum(SIZE);
      assertThat(service.checksum(new PatternStream(SIZE))).isEqualTo(expected);
      try (InputStream in = service.produce(SIZE)) {
        assertThat(crc(in)).isEqualTo(expected);
      }
      try (InputStream in = service.echo(new PatternStream(SIZE))) {
        assertThat(crc(in)).isEqualTo(expected);
      }
    }
  }

  @Test
  void streamsGoEachWayIntactOverTcp() throws Exception {
    bothWays(TetherServer.builder().insecurePlaintextTcp(),
        TetherOptions.defaults().withInsecurePlaintextTcp());
  }

  @Test
  void streamsGoEachWayIntactOverTls() throws Exception {
    bothWays(TetherServer.builder().tls(certs.server(TestCertificates.SERVER)),
        TetherOptions.defaults().withTls(certs.client()));
  }
}
