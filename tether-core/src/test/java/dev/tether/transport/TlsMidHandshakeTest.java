package dev.tether.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.TetherServer;
import dev.tether.fixtures.EchoService;
import dev.tether.fixtures.EchoServiceImpl;
import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.wire.FrameKind;
import dev.tether.internal.wire.Frames;
import dev.tether.testing.Await;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
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
 * Peers that stop in the middle of the TLS handshake hold no server thread: once the server has
 * answered a ClientHello and waits for the client's Finished, its reader parks the connection
 * (as for a peer that stops in the middle of its Tether HELLO), and a peer that goes on later
 * finishes its handshake on the thread that resumes it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsMidHandshakeTest {
  @TempDir
  static Path dir;
  static TestCertificates certs;

  @BeforeAll
  static void makeCertificates() throws Exception {
    certs = TestCertificates.generate(dir);
  }

  private static long serverReaders() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("tether-server-reader")).count();
  }

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
