package dev.tether.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.ConnectionClosedException;
import dev.tether.Tether;
import dev.tether.TetherOptions;
import dev.tether.fixtures.EchoService;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.transport.Listener;
import dev.tether.internal.transport.Transports;
import dev.tether.internal.wire.FrameKind;
import dev.tether.internal.wire.Frames;
import dev.tether.testing.Async;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A server that misbehaves can fail calls, never hang them. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileServerTest {
  Listener listener;
  CompletableFuture<ScriptedPeer> accepted;

  @BeforeEach
  void listen() throws Exception {
    listener = Transports.listen(Endpoint.tcp("127.0.0.1", 0));
    accepted = Async.run(() -> new ScriptedPeer(listener.accept()));
  }

  @AfterEach
  void close() throws Exception {
    listener.close();
    if (accepted.isDone() && !accepted.isCompletedExceptionally()) {
      accepted.get().close();
    }
  }

  private static final TetherOptions FAST = TetherOptions.defaults().withInsecurePlaintextTcp()
      .withConnectTimeout(Duration.ofMillis(500))
      .withLiveness(Duration.ofMillis(100), Duration.ofMillis(300));

  /** Connects a client in the background and plays the server side of handshake and resolve. */
  private CompletableFuture<EchoService> connectAndResolve(ScriptedPeer[] serverSide) throws Exception {
    CompletableFuture<EchoService> proxy = Async.run(() ->
        Tether.connect(listener.endpoint().toString(), FAST).get(EchoService.class, "echo"));
    ScriptedPeer server = accepted.get(10, TimeUnit.SECONDS);
    serverSide[0] = server;
    assertThat(server.next().kind()).isEqualTo(FrameKind.HELLO);
    server.hello();
    ScriptedPeer.Received resolve = server.next();
    assertThat(resolve.kind()).isEqualTo(FrameKind.RESOLVE);
    server.send(w -> Frames.resolved(w, resolve.callId(), 0));
    return proxy;
  }

  @Test
  void serverThatNeverAnswersHelloFailsTheConnectWithinTheTimeout() {
    assertThatThrownBy(() -> Tether.connect(listener.endpoint().toString(), FAST))
        .isInstanceOf(ConnectionClosedException.class)
        .hasMessageContaining("handshake");
  }

  @Test
  void garbageAnswerFailsThePendingCallAsAProtocolError() throws Exception {
    ScriptedPeer[] server = new ScriptedPeer[1];
    EchoService echo = connectAndResolve(server).get(10, TimeUnit.SECONDS);
    CompletableFuture<Throwable> call = Async.thrownBy(() -> echo.echo(1));
    ScriptedPeer.Received c = server[0].nextOf(FrameKind.CALL);
    server[0].send(w -> {
      Frames.begin(w, 77, 0, c.callId());
      Frames.end(w, Integer.MAX_VALUE);
    });
    assertThat(call.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ConnectionClosedException.class)
        .hasMessageContaining("protocol error").hasMessageContaining("unknown frame kind 77");
    assertThat(server[0].nextOf(FrameKind.GOAWAY).detail()).startsWith("PROTOCOL_ERROR");
  }

  @Test
  void undecodableResultFailsTheCallAndTheConnection() throws Exception {
    ScriptedPeer[] server = new ScriptedPeer[1];
    EchoService echo = connectAndResolve(server).get(10, TimeUnit.SECONDS);
    CompletableFuture<Throwable> call = Async.thrownBy(() -> echo.echo(1));
    ScriptedPeer.Received c = server[0].nextOf(FrameKind.CALL);
    server[0].send(w -> {
      Frames.beginResult(w, c.callId());
      w.writeByte(1); // "present"
      w.writeByte(1); // then one byte where an int needs four
      Frames.end(w, Integer.MAX_VALUE);
    });
    assertThat(call.get(10, TimeUnit.SECONDS)).hasMessageContaining("undecodable result");
    assertThat(server[0].nextOf(FrameKind.GOAWAY).detail()).startsWith("PROTOCOL_ERROR");
  }

  @Test
  void silentServerIsDeclaredDeadByLivenessPings() throws Exception {
    ScriptedPeer[] server = new ScriptedPeer[1];
    EchoService echo = connectAndResolve(server).get(10, TimeUnit.SECONDS);
    CompletableFuture<Throwable> call = Async.thrownBy(() -> echo.echo(1));
    server[0].nextOf(FrameKind.CALL);
    assertThat(server[0].nextOf(FrameKind.PING).kind()).isEqualTo(FrameKind.PING); // and no PONG
    assertThat(call.get(10, TimeUnit.SECONDS))
        .isInstanceOf(dev.tether.LivenessLostException.class)
        .hasMessageContaining("liveness ping");
  }

  @Test
  void answerForAnUnknownCallIsDiscarded() throws Exception {
    ScriptedPeer[] server = new ScriptedPeer[1];
    EchoService echo = connectAndResolve(server).get(10, TimeUnit.SECONDS);
    CompletableFuture<Integer> call = Async.run(() -> echo.echo(5));
    ScriptedPeer.Received c = server[0].nextOf(FrameKind.CALL);
    server[0].send(w -> {
      Frames.beginResult(w, c.callId() + 1000);
      w.writeBoolean(true); // results travel nullable
      w.writeInt(666);
      Frames.end(w, Integer.MAX_VALUE);
    });
    server[0].send(w -> {
      Frames.beginResult(w, c.callId());
      w.writeBoolean(true);
      w.writeInt(5);
      Frames.end(w, Integer.MAX_VALUE);
    });
    assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo(5);
  }
}
