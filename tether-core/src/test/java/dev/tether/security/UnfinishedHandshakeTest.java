package dev.tether.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.SharedSecret;
import dev.tether.TetherServer;
import dev.tether.fixtures.WhoService;
import dev.tether.fixtures.WhoServiceImpl;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.transport.Transports;
import dev.tether.internal.wire.FrameKind;
import dev.tether.internal.wire.Frames;
import dev.tether.internal.wire.SecretProof;
import dev.tether.testing.Await;
import dev.tether.wire.ScriptedPeer;
import dev.tether.wire.ScriptedPeerAccess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A peer that has not finished the shared-secret handshake gets nothing served, is held to the
 * small pre-handshake frame limit, and is closed by the handshake timeout.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UnfinishedHandshakeTest {
  private static final SharedSecret K1 =
      SharedSecret.of("k1", "0123456789abcdef".getBytes(StandardCharsets.UTF_8));
  private final WhoServiceImpl impl = new WhoServiceImpl();
  private TetherServer server;
  private ScriptedPeerAccess peer;

  @BeforeEach
  void start() throws Exception {
    server = TetherServer.builder().export("who", WhoService.class, impl)
        .listen("tcp:127.0.0.1:0").sharedSecrets(K1).handshakeTimeout(Duration.ofMillis(500))
        .start();
    Endpoint e = Endpoint.parse(server.address());
    peer = new ScriptedPeerAccess(Transports.connect(e, Duration.ofSeconds(5)));
  }

  @AfterEach
  void stop() {
    peer.close();
    server.close();
  }

  private void helloAndNonce() throws Exception {
    peer.send(w -> Frames.hello(w, FrameKind.VERSION, 1 << 20, "half",
        FrameKind.FLAG_HELLO_SECRET));
    peer.send(w -> Frames.auth(w, FrameKind.AUTH_CLIENT_NONCE, "k1", SecretProof.nonce()));
    assertThat(peer.next().kind()).isEqualTo(FrameKind.HELLO);
    assertThat(peer.next().kind()).isEqualTo(FrameKind.AUTH);
  }

  @Test
  void resolveAndCallBeforeTheProofAreNotServed() throws Exception {
    helloAndNonce();
    peer.send(w -> Frames.resolve(w, 1, "who", WhoService.class.getName(), List.of(),
        1 << 20));
    peer.send(w -> {
      Frames.beginCall(w, 2, 0, 0, -1);
      Frames.end(w, 1 << 20);
    });
    ScriptedPeer.Received goAway = peer.nextOf(FrameKind.GOAWAY);
    assertThat(goAway.detail()).startsWith("PROTOCOL_ERROR");
    assertThat(server.stats().callsStarted()).isZero();
    assertThat(impl.calls).hasValue(0);
  }

  @Test
  void aLargeFrameBeforeTheProofIsRefusedAtTheSmallLimit() throws Exception {
    helloAndNonce();
    peer.send(w -> {
      w.reset();
      w.writeInt(1 << 20); // announces 1 MiB; the server must not buffer it
      w.writeByte(FrameKind.AUTH);
      w.writeByte(FrameKind.AUTH_CLIENT_PROOF);
      w.writeInt(0);
    });
    ScriptedPeer.Received goAway = peer.nextOf(FrameKind.GOAWAY);
    assertThat(goAway.detail()).startsWith("PROTOCOL_ERROR").contains("before the handshake");
  }

  @Test
  void aPeerThatStopsHalfwayIsClosedByTheHandshakeTimeout() throws Exception {
    helloAndNonce();
    assertThat(peer.nextOf(-1).kind()).as("closed by the server").isEqualTo(-1);
    Await.until(() -> server.stats().connections() == 0, "the server forgets the connection");
  }
}
