package dev.tether.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tether.CallerIdentity;
import dev.tether.ErrorCode;
import dev.tether.SharedSecret;
import dev.tether.Tether;
import dev.tether.TetherException;
import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS and a shared secret on one server: the secret's handshake runs inside the TLS session, a
 * client with both is served (and identified by its key id), and one with the wrong secret is
 * refused even though its TLS is fine, before any call runs.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TlsWithSharedSecretTest {
  /** Says who is calling. */
  public interface Who {
    /** The caller's identity as the server method sees it. */
    String who();
  }

  private static final SharedSecret KEY =
      SharedSecret.of("k1", "0123456789abcdef-one".getBytes(StandardCharsets.US_ASCII));
  private static final SharedSecret WRONG =
      SharedSecret.of("k1", "0123456789abcdef-bad".getBytes(StandardCharsets.US_ASCII));

  @TempDir
  static Path dir;
  static TestCertificates certs;

  private final AtomicInteger calls = new AtomicInteger();
  private TetherServer server;

  @BeforeAll
  static void makeCertificates() throws Exception {
    certs = TestCertificates.generateServerOnly(dir);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private TetherServer start() throws Exception {
    server = TetherServer.builder()
        .export("who", Who.class, () -> {
          calls.incrementAndGet();
          return CallerIdentity.current().map(Object::toString).orElse("nobody");
        })
        .listen("tcp:127.0.0.1:0")
        .tls(certs.server(TestCertificates.SERVER))
        .sharedSecrets(KEY)
        .drainTimeout(Duration.ofMillis(200))
        .start();
    return server;
  }

  private static TetherOptions options(SharedSecret secret) throws Exception {
    return TetherOptions.defaults().withTls(certs.client()).withSharedSecret(secret);
  }

  @Test
  void aClientWithTlsAndTheSecretIsServedAndIdentifiedByItsKeyId() throws Exception {
    start();
    try (Tether t = Tether.connect(server.address(), options(KEY))) {
      Who who = t.get(Who.class, "who");
      for (int i = 0; i < 50; i++) { // past the inline credit: the same over either path
        assertThat(who.who()).isEqualTo("CallerIdentity[SHARED_SECRET keyId=k1]");
      }
    }
    assertThat(server.stats().authFailures()).isZero();
  }

  @Test
  void aWrongSecretOverGoodTlsIsRefusedCountedAndNothingRuns() throws Exception {
    start();
    TetherException e = catchThrowableOfType(TetherException.class,
        () -> Tether.connect(server.address(), options(WRONG)).close());
    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    assertThat(e.getMessage()).contains("refused the shared secret for key id k1")
        .doesNotContain("0123456789abcdef");
    assertThat(server.stats().authFailures()).isEqualTo(1);
    assertThat(server.stats().callsStarted()).isZero();
    assertThat(calls).hasValue(0);
  }

  @Test
  void tlsWithoutTheSecretIsRefusedByAServerThatWantsBoth() throws Exception {
    start();
    TetherException e = catchThrowableOfType(TetherException.class,
        () -> Tether.connect(server.address(), TetherOptions.defaults().withTls(certs.client()))
            .close());
    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    assertThat(calls).hasValue(0);
  }
}
