package dev.tether.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.Tether;
import dev.tether.TetherServer;
import dev.tether.fixtures.StreamService;
import dev.tether.internal.codec.InterfaceSchema;
import dev.tether.internal.stream.StreamLimits;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.transport.Transports;
import dev.tether.internal.wire.FrameKind;
import dev.tether.internal.wire.Frames;
import dev.tether.internal.wire.StreamFrames;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The stream frames on the wire: credit first, never more data than credit, strays ignored. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamWireTest {
  TetherServer server;

  @BeforeEach
  void start() {
    server = TetherServer.builder()
        .export("streams", StreamService.class, new StreamService.Impl()).start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private ScriptedPeer callCount() throws Exception {
    return call("count");
  }

  private ScriptedPeer call(String method) throws Exception {
    ScriptedPeer peer = new ScriptedPeer(
        Transports.connect(Endpoint.parse(server.address()), Duration.ofSeconds(5)));
    InterfaceSchema schema = InterfaceSchema.of(StreamService.class);
    int count = schema.indexOf(StreamService.class.getMethod(method, java.io.InputStream.class));
    peer.hello();
    peer.send(w -> Frames.resolve(w, 1, "streams", StreamService.class.getName(),
        schema.signatures(), Integer.MAX_VALUE));
    assertThat(peer.nextOf(FrameKind.RESOLVED).detail()).isEqualTo("0");
    peer.send(w -> {
      Frames.beginCall(w, 2, 0, count, -1);
      w.writeBoolean(true); // the stream is there
      Frames.end(w, Integer.MAX_VALUE);
    });
    return peer;
  }

  private static void data(ScriptedPeer peer, int callId, int bytes, boolean end) throws Exception {
    peer.send(w -> {
      StreamFrames.beginData(w, callId, 1, end);
      w.writeBytes(new byte[bytes], 0, bytes);
      Frames.end(w, Integer.MAX_VALUE);
    });
  }

  @Test
  void theReceiverGrantsAWindowAndTheStreamEndsWithTheLastChunk() throws Exception {
    try (ScriptedPeer peer = callCount()) {
      ScriptedPeer.Received credit = peer.nextOf(FrameKind.STREAM_CREDIT);
      assertThat(credit.callId()).isEqualTo(2);
      assertThat(credit.detail()).isEqualTo("1:" + StreamLimits.DEFAULT_WINDOW_BYTES);
      data(peer, 2, 1000, false);
      data(peer, 2, 0, true);
      assertThat(peer.nextOf(FrameKind.RESULT).callId()).isEqualTo(2);
    }
  }

  @Test
  void dataBeyondTheCreditClosesTheConnection() throws Exception {
    StreamService.Impl.reset(); // a method that reads one byte, so it gives no credit back
    try (ScriptedPeer peer = call("readOneThenWait")) {
      peer.nextOf(FrameKind.STREAM_CREDIT);
      for (int sent = 0; sent <= StreamLimits.DEFAULT_WINDOW_BYTES; sent += StreamLimits.CHUNK_BYTES) {
        data(peer, 2, StreamLimits.CHUNK_BYTES, false);
      }
      assertThat(peer.nextOf(FrameKind.GOAWAY).detail()).startsWith("PROTOCOL_ERROR")
          .contains("beyond the");
      peer.awaitEof();
    } finally {
      StreamService.Impl.RELEASE.countDown();
    }
    try (Tether good = Tether.connect(server.address())) {
      assertThat(good.get(StreamService.class, "streams").ping(1)).isEqualTo(2);
    }
  }

  @Test
  void dataForAStreamNobodyKnowsIsDropped() throws Exception {
    try (ScriptedPeer peer = callCount()) {
      peer.nextOf(FrameKind.STREAM_CREDIT);
      data(peer, 77, 100, false); // a stream abandoned a moment ago looks like this
      peer.send(w -> Frames.ping(w, false, 5));
      assertThat(peer.nextOf(FrameKind.PONG).detail()).isEqualTo("5");
    }
  }
}
