package dev.tether.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.TetherServer;
import dev.tether.fixtures.Spinner;
import dev.tether.internal.codec.InterfaceSchema;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.transport.Transports;
import dev.tether.internal.wire.FrameKind;
import dev.tether.internal.wire.Frames;
import dev.tether.testing.Await;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a client sees on the wire when a server shuts down: GOAWAY first, a call sent after it
 * refused as UNAVAILABLE without running, the answer of the running call, then the end.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShutdownWireTest {

  @Test
  void afterGoAwayANewCallIsRefusedTheRunningOneAnswersAndThenTheConnectionCloses()
      throws Exception {
    Spinner.Impl impl = new Spinner.Impl();
    TetherServer server = TetherServer.builder().export("spin", Spinner.class, impl).start();
    InterfaceSchema schema = InterfaceSchema.of(Spinner.class);
    int spin = schema.indexOf(Spinner.class.getMethod("spin"));
    int echo = schema.indexOf(Spinner.class.getMethod("echo", int.class));
    try (ScriptedPeer peer = new ScriptedPeer(
        Transports.connect(Endpoint.parse(server.address()), Duration.ofSeconds(5)))) {
      peer.hello();
      peer.send(w -> Frames.resolve(w, 1, "spin", Spinner.class.getName(), schema.signatures(),
          Integer.MAX_VALUE));
      assertThat(peer.nextOf(FrameKind.RESOLVED).detail()).isEqualTo("0");
      peer.send(w -> {
        Frames.beginCall(w, 2, 0, spin, -1);
        Frames.end(w, Integer.MAX_VALUE);
      });
      Await.until(() -> impl.spinning() == 1, "the call to run");

      server.shutdown();
      assertThat(peer.nextOf(FrameKind.GOAWAY).detail()).isEqualTo("UNAVAILABLE: server shutting down");
      peer.send(w -> {
        Frames.beginCall(w, 3, 0, echo, -1);
        w.writeInt(5);
        Frames.end(w, Integer.MAX_VALUE);
      });
      ScriptedPeer.Received refused = peer.next();
      assertThat(refused.callId()).isEqualTo(3);
      assertThat(refused.detail()).isEqualTo("UNAVAILABLE: server shutting down");

      impl.release();
      ScriptedPeer.Received answer = peer.next();
      assertThat(answer.kind()).as(answer.toString()).isEqualTo(FrameKind.RESULT);
      assertThat(answer.callId()).isEqualTo(2);
      peer.awaitEof();
      assertThat(server.awaitTermination(Duration.ofSeconds(30))).isTrue();
    } finally {
      impl.release();
      server.close();
    }
  }
}
