package dev.tether.wire;

import dev.tether.fixtures.PlainTcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.ErrorCode;
import dev.tether.Tether;
import dev.tether.TetherException;
import dev.tether.TetherOptions;
import dev.tether.fixtures.EchoService;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.transport.Listener;
import dev.tether.internal.transport.Transports;
import dev.tether.internal.wire.FrameKind;
import dev.tether.internal.wire.Frames;
import dev.tether.testing.Async;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A hostile server cannot make a client allocate without bound either. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileServerMemoryTest {
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

  @Test
  void aSixteenMebibyteHeaderInsteadOfHelloFailsTheConnectAtOnce() throws Exception {
    TetherOptions patient = TetherOptions.defaults().withInsecurePlaintextTcp()
        .withConnectTimeout(Duration.ofSeconds(30));
    CompletableFuture<Throwable> connect =
        Async.thrownBy(() -> Tether.connect(listener.endpoint().toString(), patient));
    ScriptedPeer server = accepted.get(10, TimeUnit.SECONDS);
    assertThat(server.next().kind()).isEqualTo(FrameKind.HELLO);
    server.sendRaw(new byte[] {1, 0, 0, 0, FrameKind.HELLO, 0}); // and never the body
    assertThat(connect.get(10, TimeUnit.SECONDS)).isInstanceOf(TetherException.class)
        .hasMessageContaining("before the handshake");
  }

  @Test
  void aResultThatDecodesToFarMoreThanItsFrameFailsTheCallNotTheConnection() throws Exception {
    CompletableFuture<EchoService> proxy = Async.run(() ->
        Tether.connect(listener.endpoint().toString(),
            PlainTcp.OPTIONS).get(EchoService.class, "echo"));
    ScriptedPeer server = accepted.get(10, TimeUnit.SECONDS);
    assertThat(server.next().kind()).isEqualTo(FrameKind.HELLO);
    server.hello();
    ScriptedPeer.Received resolve = server.next();
    server.send(w -> Frames.resolved(w, resolve.callId(), 0));
    EchoService echo = proxy.get(10, TimeUnit.SECONDS);

    CompletableFuture<Throwable> big = Async.thrownBy(() -> echo.echoNested(List.of()));
    ScriptedPeer.Received call = server.nextOf(FrameKind.CALL);
    server.send(w -> {
      Frames.beginResult(w, call.callId());
      EmptyLists.write(w, 100_000); // 200 KB of empty maps: about 8 MB once decoded
      Frames.end(w, Integer.MAX_VALUE);
    });
    assertThat(big.get(10, TimeUnit.SECONDS)).isInstanceOf(TetherException.class)
        .satisfies(t -> assertThat(((TetherException) t).code())
            .isEqualTo(ErrorCode.RESOURCE_EXHAUSTED));

    CompletableFuture<List<Map<String, int[]>>> small =
        Async.run(() -> echo.echoNested(List.of()));
    ScriptedPeer.Received second = server.nextOf(FrameKind.CALL);
    server.send(w -> {
      Frames.beginResult(w, second.callId());
      EmptyLists.write(w, 3);
      Frames.end(w, Integer.MAX_VALUE);
    });
    assertThat(small.get(10, TimeUnit.SECONDS)).hasSize(3);
  }
}
