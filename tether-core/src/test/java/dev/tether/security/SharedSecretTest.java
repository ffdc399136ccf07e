package dev.tether.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tether.ErrorCode;
import dev.tether.SharedSecret;
import dev.tether.Tether;
import dev.tether.TetherAdmin;
import dev.tether.TetherException;
import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import dev.tether.fixtures.WhoService;
import dev.tether.fixtures.WhoServiceImpl;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.transport.Listener;
import dev.tether.internal.transport.Transports;
import dev.tether.internal.wire.FrameKind;
import dev.tether.internal.wire.Frames;
import dev.tether.internal.wire.SecretProof;
import dev.tether.testing.Async;
import dev.tether.wire.ScriptedPeer;
import dev.tether.wire.ScriptedPeerAccess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shared-secret handshake over real TCP: both sides prove they know the secret with fresh
 * nonces; a wrong secret, an unknown key id, a replayed handshake and an impostor server fail.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedSecretTest {
  private static final SharedSecret K1 = SharedSecret.of("k1", bytes("0123456789abcdef-one"));
  private static final SharedSecret K2 = SharedSecret.of("k2", bytes("0123456789abcdef-two"));
  private static final SharedSecret K1_WRONG =
      SharedSecret.of("k1", bytes("0123456789abcdef-bad"));

  private final WhoServiceImpl impl = new WhoServiceImpl();
  private TetherServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private TetherServer start(SharedSecret... secrets) {
    server = TetherServer.builder().export("who", WhoService.class, impl)
        .listen("tcp:127.0.0.1:0").sharedSecrets(secrets).start();
    return server;
  }

  private static TetherOptions with(SharedSecret s) {
    return TetherOptions.defaults().withSharedSecret(s);
  }

  @Test
  void aClientWithTheSecretIsServedAndTheMethodSeesItsKeyId() {
    start(K1);
    try (Tether t = Tether.connect(server.address(), with(K1))) {
      assertThat(t.get(WhoService.class, "who").who())
          .isEqualTo("CallerIdentity[SHARED_SECRET keyId=k1]");
      assertThat(t.get(TetherAdmin.class, TetherAdmin.NAME).stats().authFailures()).isZero();
    }
  }

  @Test
  void severalSecretsLetKeysRotate() {
    start(K1, K2);
    try (Tether t = Tether.connect(server.address(), with(K2))) {
      assertThat(t.get(WhoService.class, "who").who()).contains("keyId=k2");
    }
  }

  @Test
  void aWrongSecretIsRefusedCountedAndNothingRuns() {
    start(K1);
    TetherException e = catchThrowableOfType(TetherException.class,
        () -> Tether.connect(server.address(), with(K1_WRONG)));
    assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    assertThat(e.getMessage()).contains("the server").contains("refused the shared secret for"
        + " key id k1");
    assertThat(e.getMessage()).doesNotContain("0123456789abcdef");
    assertThat(server.stats().authFailures()).isEqualTo(1);
    assertThat(server.stats().callsStarted()).isZero();
    assertThat(impl.calls).hasValue(0);
  }

  @Test
  void anUnknownKeyIdIsRefused() {
    start(K1);
    TetherException e = catchThrowableOfType(TetherException.class,
        () -> Tether.connect(server.address(), with(K2)));
    assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    assertThat(e.getMessage()).contains("key id k2");
    assertThat(server.stats().authFailures()).isEqualTo(1);
  }

  @Test
  void aClientWithoutASecretIsRefusedByAServerThatRequiresOne() {
    start(K1);
    TetherException e = catchThrowableOfType(TetherException.class,
        () -> Tether.connect(server.address(), TetherOptions.defaults()
            .withInsecurePlaintextTcp()));
    assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    assertThat(e.getMessage()).contains("requires a shared secret");
    assertThat(server.stats().authFailures()).isEqualTo(1);
  }

  @Test
  void aClientWithASecretRefusesAServerThatUsesNone() {
    server = TetherServer.builder().export("who", WhoService.class, impl)
        .listen("tcp:127.0.0.1:0").insecurePlaintextTcp().start();
    TetherException e = catchThrowableOfType(TetherException.class,
        () -> Tether.connect(server.address(), with(K1)));
    assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    assertThat(impl.calls).hasValue(0);
  }

  @Test
  void aReplayedHandshakeIsRefusedAndItsCallsNeverRun() throws Exception {
    start(K1);
    int port = Integer.parseInt(server.address().substring(server.address().lastIndexOf(':')
        + 1));
    byte[] captured;
    try (RecordingProxy proxy = new RecordingProxy(port)) {
      try (Tether t = Tether.connect(proxy.address(), with(K1))) {
        assertThat(t.get(WhoService.class, "who").who()).contains("keyId=k1");
      }
      captured = proxy.clientBytes();
    }
    assertThat(impl.calls).hasValue(1);
    long callsBefore = server.stats().callsStarted();

    try (ScriptedPeerAccess replay = new ScriptedPeerAccess(Transports.connect(
        Endpoint.tcp("127.0.0.1", port), Duration.ofSeconds(5)))) {
      replay.send(w -> w.writeBytes(captured, 0, captured.length)); // every byte, as recorded
      ScriptedPeer.Received goAway = replay.nextOf(FrameKind.GOAWAY);
      assertThat(goAway.detail()).startsWith("UNAUTHENTICATED").contains("key id k1");
    }
    assertThat(server.stats().authFailures()).isEqualTo(1);
    assertThat(server.stats().callsStarted()).isEqualTo(callsBefore);
    assertThat(impl.calls).as("the replayed RESOLVE and CALL did not run").hasValue(1);
  }

  @Test
  void theClientRefusesAServerThatCannotProveItKnowsTheSecret() throws Exception {
    try (Listener impostor = Transports.listen(Endpoint.tcp("127.0.0.1", 0))) {
      CompletableFuture<ScriptedPeerAccess> accepted =
          Async.run(() -> new ScriptedPeerAccess(impostor.accept()));
      CompletableFuture<Throwable> connect = Async.thrownBy(() ->
          Tether.connect(impostor.endpoint().toString(), with(K1)));
      try (ScriptedPeerAccess fake = accepted.get(10, TimeUnit.SECONDS)) {
        assertThat(fake.next().kind()).isEqualTo(FrameKind.HELLO);
        assertThat(fake.next().kind()).isEqualTo(FrameKind.AUTH);
        fake.send(w -> Frames.hello(w, FrameKind.VERSION, 1 << 20, "impostor",
            FrameKind.FLAG_HELLO_SECRET));
        fake.send(w -> Frames.auth(w, FrameKind.AUTH_SERVER_NONCE, null, SecretProof.nonce()));
        ScriptedPeer.Received proof = fake.next();
        assertThat(proof.kind()).isEqualTo(FrameKind.AUTH);
        assertThat(proof.callId()).isEqualTo(FrameKind.AUTH_CLIENT_PROOF);
        fake.send(w -> Frames.auth(w, FrameKind.AUTH_SERVER_PROOF, null, SecretProof.nonce()));
        Throwable t = connect.get(10, TimeUnit.SECONDS);
        assertThat(t).isInstanceOf(TetherException.class)
            .hasMessageContaining("could not prove it knows the shared secret for key id k1");
        assertThat(((TetherException) t).code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
      }
    }
  }

  @Test
  void aSecretIsCopiedCheckedAndNeverShown() {
    byte[] raw = bytes("0123456789abcdef-one");
    SharedSecret s = SharedSecret.of("k1", raw);
    raw[0] = 'X';
    assertThat(s).isEqualTo(K1);
    assertThat(s.toString()).isEqualTo("SharedSecret[keyId=k1, 20 bytes]");
    assertThatThrownBy(() -> SharedSecret.of("k1", new byte[15]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16");
    assertThatThrownBy(() -> SharedSecret.of("has space", new byte[16]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TetherServer.builder().sharedSecrets(K1, K1_WRONG))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key id k1");
  }

  @Test
  void proofsDifferByRoleSoAReflectedProofFails() {
    byte[] nc = SecretProof.nonce();
    byte[] ns = SecretProof.nonce();
    SecretProof.Hello c = new SecretProof.Hello(1, 1 << 20, "client", 1);
    SecretProof.Hello s = new SecretProof.Hello(1, 1 << 20, "server", 1);
    byte[] key = bytes("0123456789abcdef-one");
    byte[] client = SecretProof.clientProof(key, "k1", nc, ns, c, s);
    assertThat(SecretProof.matches(SecretProof.serverProof(key, "k1", nc, ns, c, s), client))
        .isFalse();
    assertThat(SecretProof.matches(SecretProof.clientProof(key, "k1", nc, ns, c, s), client))
        .isTrue();
    assertThat(SecretProof.matches(SecretProof.clientProof(key, "k1", nc, SecretProof.nonce(),
        c, s), client)).as("another server nonce").isFalse();
    assertThat(SecretProof.matches(SecretProof.clientProof(key, "k1", nc, ns, c,
        new SecretProof.Hello(1, 1 << 20, "someone else", 1)), client))
        .as("another HELLO transcript").isFalse();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
