package dev.tether.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tether.CancelScope;
import dev.tether.DeadlineExceededException;
import dev.tether.ErrorCode;
import dev.tether.Tether;
import dev.tether.TetherException;
import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import dev.tether.TlsSettings;
import dev.tether.fixtures.EchoService;
import dev.tether.fixtures.EchoServiceImpl;
import dev.tether.testing.Await;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS 1.3 end to end: who is accepted and who is refused (with a message that says why), every
 * source of keys, peers that stall or babble in the handshake, and large frames.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TlsTest {
  @TempDir
  static Path dir;
  static TestCertificates certs;

  @BeforeAll
  static void makeCertificates() throws Exception {
    certs = TestCertificates.generate(dir);
  }

  private static TetherServer server(TlsSettings tls) {
    return server(tls, Duration.ofSeconds(10));
  }

  private static TetherServer server(TlsSettings tls, Duration handshakeTimeout) {
    return TetherServer.builder().export("echo", EchoService.class, new EchoServiceImpl())
        .listen("tcp:127.0.0.1:0").tls(tls).handshakeTimeout(handshakeTimeout)
        .drainTimeout(Duration.ofMillis(200)).start();
  }

  private static Tether connect(TetherServer server, TlsSettings tls) {
    return Tether.connect(server.address(), TetherOptions.defaults().withTls(tls));
  }

  private static TetherException refused(TetherServer server, TlsSettings tls) {
    return catchThrowableOfType(TetherException.class, () -> connect(server, tls).close());
  }

  @Test
  void aTrustedServerIsAcceptedAndDeadlinesWorkOverTls() throws Exception {
    try (TetherServer server = server(certs.server(TestCertificates.SERVER));
        Tether t = connect(server, certs.client())) {
      EchoService echo = t.get(EchoService.class, "echo");
      assertThat(echo.echoString("over TLS")).isEqualTo("over TLS");
      assertThatThrownBy(() -> CancelScope.callWithTimeout(Duration.ofMillis(200),
          () -> echo.awaitCancel(60_000)))
          .isInstanceOfSatisfying(DeadlineExceededException.class,
              e -> assertThat(e.acknowledged()).isTrue());
      assertThat(server.stats().authFailures()).isZero();
    }
  }

  @Test
  void aServerWithAnUntrustedCertificateIsRefused() throws Exception {
    try (TetherServer server = server(certs.server(TestCertificates.UNTRUSTED))) {
      TetherException e = refused(server, certs.client());
      assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
      assertThat(e.getMessage()).contains("the server's certificate is not trusted");
      Await.until(() -> server.stats().authFailures() == 1, "the server counted the failure");
      Await.until(() -> server.stats().connections() == 0, "the connection freed");
    }
  }

  @Test
  void aServerWhoseCertificateNamesAnotherHostIsRefusedUnlessVerificationIsTurnedOff()
      throws Exception {
    try (TetherServer server = server(certs.server(TestCertificates.WRONG_HOST))) {
      TetherException e = refused(server, certs.client());
      assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
      assertThat(e.getMessage())
          .contains("the server's certificate does not match host 127.0.0.1");
      try (Tether t = connect(server, certs.client().insecureWithoutHostnameVerification())) {
        assertThat(t.get(EchoService.class, "echo").echo(3)).isEqualTo(3);
      }
    }
  }

  @Test
  void mutualTlsRefusesAClientWithoutACertificateAndAcceptsOneWithIt() throws Exception {
    try (TetherServer server =
        server(certs.server(TestCertificates.SERVER).requireClientCertificate())) {
      TetherException e = refused(server, certs.client());
      assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
      assertThat(e.getMessage()).contains("the server requires a client certificate");
      Await.until(() -> server.stats().authFailures() == 1, "the server counted the failure");

      TlsSettings untrustedClient = certs.client()
          .identity(certs.identity(TestCertificates.UNTRUSTED), TestCertificates.PASSWORD);
      // The JDK's client offers only a certificate from an authority the server names: none.
      TetherException rogue = refused(server, untrustedClient);
      assertThat(rogue.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
      assertThat(rogue.getMessage()).contains("the server requires a client certificate");

      TlsSettings client = certs.client()
          .identity(certs.identity(TestCertificates.CLIENT), TestCertificates.PASSWORD);
      try (Tether t = connect(server, client)) {
        assertThat(t.get(EchoService.class, "echo").echo(5)).isEqualTo(5);
      }
    }
  }

  @Test
  void identitiesAndTrustFromPemFilesKeyStoresAndSslContextsAllWork() throws Exception {
    TlsSettings pem = TlsSettings.create()
        .identityFromPem(certs.chainPem(TestCertificates.SERVER),
            certs.keyPem(TestCertificates.SERVER))
        .trustFromPem(certs.caPem()).requireClientCertificate();
    TlsSettings clientFromPem = TlsSettings.create()
        .identityFromPem(certs.chainPem(TestCertificates.CLIENT),
            certs.keyPem(TestCertificates.CLIENT))
        .trustFromPem(certs.caPem());
    TlsSettings clientFromKeyStore = certs.client()
        .identity(certs.identity(TestCertificates.CLIENT), TestCertificates.PASSWORD);
    TlsSettings clientFromContext =
        TlsSettings.fromSslContext(certs.context(TestCertificates.CLIENT));
    try (TetherServer server = server(pem)) {
      for (TlsSettings client : new TlsSettings[] {clientFromPem, clientFromKeyStore,
          clientFromContext}) {
        try (Tether t = connect(server, client)) {
          assertThat(t.get(EchoService.class, "echo").echo(9)).as(client.toString()).isEqualTo(9);
        }
      }
    }
    TlsSettings fromContext = TlsSettings
        .fromSslContext(certs.context(TestCertificates.SERVER)).requireClientCertificate();
    try (TetherServer server = server(fromContext);
        Tether t = connect(server, clientFromPem)) {
      assertThat(t.get(EchoService.class, "echo").echo(11)).isEqualTo(11);
    }
  }

  @Test
  void unusableKeyMaterialFailsWhenGivenWithAMessageThatNamesTheFile() throws Exception {
    Path notPem = Files.writeString(dir.resolve("garbage.pem"), "hello");
    TetherException e = catchThrowableOfType(TetherException.class, () -> TlsSettings.create()
        .identityFromPem(certs.chainPem(TestCertificates.SERVER), notPem));
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
    assertThat(e.getMessage()).contains("garbage.pem").contains("BEGIN PRIVATE KEY");
    TetherException wrongPassword = catchThrowableOfType(TetherException.class,
        () -> TlsSettings.create().identity(certs.identity(TestCertificates.SERVER),
            "wrong".toCharArray()));
    assertThat(wrongPassword.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
    assertThatThrownBy(() -> TetherServer.builder().tls(TlsSettings.create()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs its certificate");
  }

  @Test
  void silentAndBabblingPeersAreDroppedAtTheHandshakeTimeoutWithoutBlockingOthers()
      throws Exception {
    try (TetherServer server =
        server(certs.server(TestCertificates.SERVER), Duration.ofMillis(1500))) {
      InetSocketAddress at = address(server);
      try (Socket silent = new Socket(); Socket babbler = new Socket()) {
        silent.connect(at, 5000);
        babbler.connect(at, 5000);
        // Garbage that looks like the start of a TLS record: the engine waits for the rest.
        babbler.getOutputStream().write(new byte[] {0x16, 0x03, 0x03, 0x40, 0x00, 1, 2, 3});
        babbler.getOutputStream().flush();
        long start = System.nanoTime();
        try (Tether t = connect(server, certs.client())) { // accepted while both hang
          assertThat(t.get(EchoService.class, "echo").echo(1)).isEqualTo(1);
        }
        assertThat(System.nanoTime() - start).as("not held up by the stalled handshakes")
            .isLessThan(TimeUnit.MILLISECONDS.toNanos(1500));
        silent.setSoTimeout(20_000);
        babbler.setSoTimeout(20_000);
        assertThat(endOfStream(silent.getInputStream())).as("silent peer dropped").isTrue();
        assertThat(endOfStream(babbler.getInputStream())).as("babbler dropped").isTrue();
        assertThat(System.nanoTime() - start).as("dropped at the handshake timeout")
            .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1000));
      }
      Await.until(() -> server.stats().authFailures() == 2, "both failures counted");
      Await.until(() -> server.stats().connections() == 0, "both connections freed");
    }
  }

  @Test
  void aPlainPeerSpeakingGarbageIsRefusedAtOnceAndCounted() throws Exception {
    try (TetherServer server = server(certs.server(TestCertificates.SERVER))) {
      try (Socket plain = new Socket()) {
        plain.connect(address(server), 5000);
        plain.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        plain.setSoTimeout(20_000);
        assertThat(endOfStream(plain.getInputStream())).isTrue();
      }
      Await.until(() -> server.stats().authFailures() == 1, "the failure counted");
      // a plain Tether client gets an error, not a hang
      TetherException e = catchThrowableOfType(TetherException.class,
          () -> Tether.connect(server.address(),
              TetherOptions.defaults().withConnectTimeout(Duration.ofSeconds(20))).close());
      assertThat(e).isNotNull();
    }
  }

  @Test
  void aTlsClientOfAPlainServerIsToldItDoesNotSpeakTls() {
    try (TetherServer plain = TetherServer.builder()
        .export("echo", EchoService.class, new EchoServiceImpl()).listen("tcp:127.0.0.1:0")
        .insecurePlaintextTcp().start()) {
      TetherException e = catchThrowableOfType(TetherException.class, () -> Tether.connect(
          plain.address(), TetherOptions.defaults().withTls(certs.client())).close());
      assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
      assertThat(e.getMessage()).contains("does not speak TLS");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void framesLargerThanATlsRecordRoundTrip() throws Exception {
    String big = "x".repeat(1 << 20) + "end";
    try (TetherServer server = server(certs.server(TestCertificates.SERVER));
        Tether t = connect(server, certs.client())) {
      EchoService echo = t.get(EchoService.class, "echo");
      for (int i = 0; i < 3; i++) {
        assertThat(echo.echoString(big)).isEqualTo(big);
        assertThat(echo.echo(i)).isEqualTo(i); // small frames after large ones
      }
    }
  }

  private static InetSocketAddress address(TetherServer server) {
    String a = server.address();
    return new InetSocketAddress("127.0.0.1", Integer.parseInt(a.substring(a.lastIndexOf(':') + 1)));
  }

  /** Reads until the end of the stream (true) or a reset (true: the server closed it too). */
  private static boolean endOfStream(InputStream in) throws Exception {
    try {
      while (in.read() >= 0) {
        // the server's alert, if any
      }
      return true;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }
}
