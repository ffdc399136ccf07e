package dev.tether.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.TlsSettings;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.transport.Link;
import dev.tether.internal.transport.Listener;
import dev.tether.internal.transport.TlsConfig;
import dev.tether.internal.transport.Transports;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The TLS link itself: the peer's principal, parking only with nothing buffered, close_notify. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsLinkTest {
  @TempDir
  static Path dir;
  static TestCertificates certs;

  @BeforeAll
  static void makeCertificates() throws Exception {
    certs = TestCertificates.generate(dir);
  }

  private static TlsConfig config(TlsSettings s) {
    return new TlsConfig(s.sslContext(), s.clientCertificateRequired(), s.verifiesHostname());
  }

  /** Reads on {@code link} until {@code n} bytes came (or the end), bounded. */
  private static int readUpTo(Link link, ByteBuffer dst, int n) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    int got = 0;
    while (got < n && System.nanoTime() < end) {
      int r = link.tryRead(dst);
      if (r < 0) {
        return got == 0 ? -1 : got;
      }
      got += r;
      if (r == 0) {
        link.awaitReadable(TimeUnit.MILLISECONDS.toNanos(100));
      }
    }
    return got;
  }

  @Test
  void theServerSeesTheVerifiedClientPrincipalAndParksOnlyWithNothingBuffered() throws Exception {
    TlsSettings serverTls = certs.server(TestCertificates.SERVER).requireClientCertificate();
    TlsSettings clientTls = certs.client()
        .identity(certs.identity(TestCertificates.CLIENT), TestCertificates.PASSWORD);
    try (Listener listener = Transports.listen(Endpoint.tcp("127.0.0.1", 0))) {
      ByteBuffer small = ByteBuffer.allocate(2);
      CompletableFuture<Link> accepted = CompletableFuture.supplyAsync(() -> {
        try { // the server's reads drive its handshake, then take two of the four bytes
          Link link = Transports.secureAccepted(listener.accept(), config(serverTls), (p, w) -> {});
          assertThat(link.tlsPeerPrincipal()).isNull();
          assertThat(readUpTo(link, small, 2)).isEqualTo(2);
          return link;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      try (Link client = Transports.connect(listener.endpoint(), Duration.ofSeconds(20),
          config(clientTls))) {
        client.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}));
        Link server = accepted.get(20, TimeUnit.SECONDS);
        assertThat(server.tlsPeerPrincipal()).isEqualTo("CN=test client,O=Tether Tests");
        assertThat(client.tlsPeerPrincipal()).isEqualTo("CN=localhost");
        assertThat(server.park()).as("two decrypted bytes wait").isNull();
        ByteBuffer rest = ByteBuffer.allocate(16);
        assertThat(readUpTo(server, rest, 2)).isEqualTo(2);
        assertThat(rest.flip().get()).isEqualTo((byte) 3);
        assertThat(server.park()).as("nothing buffered").isNotNull();

        client.close(); // close_notify: the server sees a clean end of stream
        assertThat(server.awaitReadable(TimeUnit.SECONDS.toNanos(20))).isTrue();
        assertThat(readUpTo(server, ByteBuffer.allocate(16), 1)).isEqualTo(-1);
        server.close();
      }
    }
  }
}
