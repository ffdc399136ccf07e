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
import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.wire.FrameKind;
import dev.tether.internal.wire.Frames;
import dev.tether.testing.Await;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
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

  private static long serverReaders() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("tether-server-reader")).count();
  }

  /**
   * Peers that stop in the middle of the TLS handshake hold no server thread: once the server has
   * answered a ClientHello and waits for the client's Finished, its reader parks the connection
   * (as for a peer that stops in the middle of its Tether HELLO), and a peer that goes on later
   * finishes its handshake on the thread that resumes it.
   */
  @Test
  void peersStalledAfterTheirClientHelloHoldNoReaderAndCanGoOnLater() throws Exception {
    int n = 20;
    try (TetherServer server = TetherServer.builder()
        .export("echo", EchoService.class, new EchoServiceImpl()).listen("tcp:127.0.0.1:0")
        .tls(certs.server(TestCertificates.SERVER)).handshakeTimeout(Duration.ofSeconds(100))
        .failedConnectionRate(100_000).start()) {
      Endpoint e = Endpoint.parse(server.address());
      InetSocketAddress at = new InetSocketAddress(e.host(), e.port());
      List<Client> stalled = new ArrayList<>();
      try {
        for (int i = 0; i < n; i++) {
          Client c = new Client(SocketChannel.open(at), e.host(), e.port());
          stalled.add(c);
          c.sendClientHello();
        }
        for (Client c : stalled) {
          c.awaitServerFlight(); // the server read the hello and answered: it waits for Finished
        }

        // the handshake timeout (100 s) is far away: only parking frees these readers
        Await.until(() -> serverReaders() == 0, "the stalled handshakes' readers to be parked");

        Client resumed = stalled.get(n / 2);
        resumed.finishHandshake();
        assertThat(resumed.helloAnswer()).as("the handshake went on where it stopped")
            .isEqualTo(FrameKind.HELLO);
      } finally {
        for (Client c : stalled) {
          c.channel.close();
        }
      }
    }
  }

  /** A TLS client over a blocking socket that can stop after its ClientHello. */
  private static final class Client {
    final SocketChannel channel;
    final SSLEngine engine;
    final ByteBuffer netIn;
    final ByteBuffer netOut;
    final ByteBuffer appIn;

    Client(SocketChannel channel, String host, int port) throws Exception {
      this.channel = channel;
      this.engine = certs.client().sslContext().createSSLEngine(host, port);
      engine.setUseClientMode(true);
      engine.setEnabledProtocols(new String[] {"TLSv1.3"});
      int packet = engine.getSession().getPacketBufferSize();
      netIn = ByteBuffer.allocate(4 * packet);
      netOut = ByteBuffer.allocate(2 * packet);
      appIn = ByteBuffer.allocate(4 * engine.getSession().getApplicationBufferSize());
    }

    void sendClientHello() throws IOException {
      engine.beginHandshake();
      wrapAndWrite(ByteBuffer.allocate(0));
    }

    /** Reads until the server's first flight is here (blocking). */
    void awaitServerFlight() throws IOException {
      if (channel.read(netIn) < 0) {
        throw new IOException("the server closed the connection");
      }
    }

    void finishHandshake() throws IOException {
      while (true) {
        HandshakeStatus hs = engine.getHandshakeStatus();
        switch (hs) {
          case NEED_WRAP -> wrapAndWrite(ByteBuffer.allocate(0));
          case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> unwrapOrRead();
          case NEED_TASK -> {
            Runnable t;
            while ((t = engine.getDelegatedTask()) != null) {
              t.run();
            }
          }
          default -> {
            return;
          }
        }
      }
    }

    /** Sends Tether's HELLO and returns the kind of the server's first frame. */
    int helloAnswer() throws IOException {
      ByteWriter w = new ByteWriter(64);
      Frames.hello(w, FrameKind.VERSION, 1 << 20, "resumed");
      wrapAndWrite(ByteBuffer.wrap(w.array(), 0, w.size()));
      while (appIn.position() < 5) {
        unwrapOrRead();
      }
      return appIn.get(4) & 0xff; // after the frame's 4-byte length
    }

    private void wrapAndWrite(ByteBuffer src) throws IOException {
      do {
        netOut.clear();
        SSLEngineResult r = engine.wrap(src, netOut);
        if (r.getStatus() != SSLEngineResult.Status.OK) {
          throw new IOException("wrap: " + r);
        }
        netOut.flip();
        while (netOut.hasRemaining()) {
          channel.write(netOut);
        }
      } while (src.hasRemaining());
    }

    private void unwrapOrRead() throws IOException {
      netIn.flip();
      SSLEngineResult r = engine.unwrap(netIn, appIn);
      netIn.compact();
      if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
          && channel.read(netIn) < 0) {
        throw new IOException("the server closed the connection");
      } else if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
        throw new IOException("TLS closed: " + r);
      }
    }
  }
}
