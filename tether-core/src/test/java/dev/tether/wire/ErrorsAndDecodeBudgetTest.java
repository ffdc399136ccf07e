package dev.tether.wire;

import dev.tether.fixtures.PlainTcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.ErrorCode;
import dev.tether.Tether;
import dev.tether.TetherException;
import dev.tether.TetherServer;
import dev.tether.fixtures.ErrorProbe;
import dev.tether.fixtures.HeapProbe;
import dev.tether.internal.codec.InterfaceSchema;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.transport.Transports;
import dev.tether.internal.wire.FrameKind;
import dev.tether.internal.wire.Frames;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Whatever a stage of serving a call throws, Errors included, its caller gets an answer; and
 * arguments that would decode to too much memory are refused, the connection staying usable.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ErrorsAndDecodeBudgetTest {
  TetherServer server;
  Tether client;
  ErrorProbe probe;

  @BeforeEach
  void start() {
    server = TetherServer.builder()
        .export("errors", ErrorProbe.class, new ErrorProbe.Impl())
        .export("probe", HeapProbe.class, new HeapProbe.Impl())
        .listen("tcp:127.0.0.1:0").insecurePlaintextTcp()
        .maxDecodedBytes(1, 64 * 1024)
        .start();
    client = Tether.connect(server.address(), PlainTcp.OPTIONS);
    probe = client.get(ErrorProbe.class, "errors");
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private ScriptedPeer connect() throws Exception {
    return new ScriptedPeer(
        Transports.connect(Endpoint.parse(server.address()), Duration.ofSeconds(5)));
  }

  /** Runs {@code call} with a bound: a call whose answer is lost fails here, not by hanging. */
  private static <T> T answered(Supplier<T> call) throws Exception {
    try {
      return CompletableFuture.supplyAsync(call).get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  @Test
  void anOutOfMemoryErrorThrownByTheMethodIsAnswered() {
    assertThatThrownBy(() -> answered(() -> probe.throwError("oom")))
        .isInstanceOf(TetherException.class).hasMessageContaining("OutOfMemoryError");
    assertThat(probe.echo(1)).isEqualTo(1);
  }

  @Test
  void aStackOverflowErrorThrownByTheMethodIsAnswered() {
    assertThatThrownBy(() -> answered(() -> probe.throwError("soe")))
        .isInstanceOf(TetherException.class).hasMessageContaining("StackOverflowError");
    assertThat(probe.echo(2)).isEqualTo(2);
  }

  @Test
  void anErrorWhileEncodingTheResultIsAnswered() {
    assertThatThrownBy(() -> answered(() -> probe.unencodable()))
        .isInstanceOf(TetherException.class).hasMessageContaining("OutOfMemoryError");
    assertThat(probe.echo(3)).isEqualTo(3);
  }

  @Test
  void anErrorWhileDecodingTheArgumentsIsAnswered() throws Exception {
    InterfaceSchema schema = InterfaceSchema.of(ErrorProbe.class);
    int take = schema.indexOf(ErrorProbe.class.getMethod("take", ErrorProbe.Bomb.class));
    int echo = schema.indexOf(ErrorProbe.class.getMethod("echo", int.class));
    try (ScriptedPeer peer = connect()) {
      peer.hello();
      peer.send(w -> Frames.resolve(w, 1, "errors", ErrorProbe.class.getName(),
          schema.signatures(), Integer.MAX_VALUE));
      assertThat(peer.nextOf(FrameKind.RESOLVED).detail()).isEqualTo("0");
      peer.send(w -> {
        Frames.beginCall(w, 2, 0, take, -1);
        w.writeByte(1); // a Bomb is present
        w.writeInt(-1); // whose constructor throws StackOverflowError
        Frames.end(w, Integer.MAX_VALUE);
      });
      ScriptedPeer.Received answer = peer.nextOf(FrameKind.ERROR);
      assertThat(answer.callId()).isEqualTo(2);
      assertThat(answer.detail()).contains("StackOverflowError");
      peer.send(w -> {
        Frames.beginCall(w, 3, 0, echo, -1);
        w.writeInt(7);
        Frames.end(w, Integer.MAX_VALUE);
      });
      ScriptedPeer.Received next = peer.next();
      assertThat(next.kind()).as(next.toString()).isEqualTo(FrameKind.RESULT);
    }
  }

  @Test
  void argumentsThatDecodeToFarMoreThanTheirFrameAreRefusedAndTheConnectionStaysUsable()
      throws Exception {
    InterfaceSchema schema = InterfaceSchema.of(HeapProbe.class);
    int count = schema.indexOf(HeapProbe.class.getMethod("count", List.class));
    try (ScriptedPeer peer = connect()) {
      peer.hello();
      peer.send(w -> Frames.resolve(w, 1, "probe", HeapProbe.class.getName(),
          schema.signatures(), Integer.MAX_VALUE));
      assertThat(peer.nextOf(FrameKind.RESOLVED).detail()).isEqualTo("0");
      peer.send(w -> {
        Frames.beginCall(w, 2, 0, count, -1);
        EmptyLists.write(w, 100_000); // 200 KB that would decode to about 7 MB
        Frames.end(w, Integer.MAX_VALUE);
      });
      ScriptedPeer.Received refused = peer.next();
      assertThat(refused.kind()).as(refused.toString()).isEqualTo(FrameKind.ERROR);
      assertThat(refused.detail()).startsWith(ErrorCode.RESOURCE_EXHAUSTED.name())
          .contains("maxDecodedBytes");
      peer.send(w -> {
        Frames.beginCall(w, 3, 0, count, -1);
        EmptyLists.write(w, 10);
        Frames.end(w, Integer.MAX_VALUE);
      });
      ScriptedPeer.Received next = peer.next();
      assertThat(next.kind()).as(next.toString()).isEqualTo(FrameKind.RESULT);
    }
    assertThat(probe.echo(4)).isEqualTo(4);
  }
}
