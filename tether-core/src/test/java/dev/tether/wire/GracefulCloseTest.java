package dev.tether.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.TetherServer;
import dev.tether.fixtures.EchoService;
import dev.tether.fixtures.EchoServiceImpl;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.transport.Transports;
import dev.tether.internal.wire.FrameKind;
import dev.tether.internal.wire.Frames;
import dev.tether.testing.Await;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server that closes a connection gracefully (a drain) ends its sending and reads what the client
 * still sends until the client's end, instead of closing with unread input: over TCP such a close
 * resets the connection, and the reset discards whatever the server wrote that the network had not
 * delivered yet (the last answers, the tail of a result stream). Bounded by the drain timeout.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GracefulCloseTest {
  TetherServer server;

  private void start(Duration drainTimeout) {
    server = TetherServer.builder()
        .export("echo", EchoService.class, new EchoServiceImpl())
        .listen("tcp:127.0.0.1:0").insecurePlaintextTcp()
        .drainTimeout(drainTimeout)
        .start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private ScriptedPeer drainedPeer() throws Exception {
    ScriptedPeer peer = new ScriptedPeer(
        Transports.connect(Endpoint.parse(server.address()), Duration.ofSeconds(5)));
    peer.hello();
    assertThat(peer.next().kind()).isEqualTo(FrameKind.HELLO);
    server.shutdown();
    assertThat(peer.nextOf(FrameKind.GOAWAY).kind()).isEqualTo(FrameKind.GOAWAY);
    peer.awaitEof(); // the server's end of sending
    Await.until(() -> server.stats().connections() == 0, "the drained connection is closed");
    return peer;
  }

  private static void ping(ScriptedPeer peer, long i) throws IOException {
    peer.send(w -> Frames.ping(w, false, i));
  }

  @Test
  void whatTheClientSendsAfterTheServersEndIsReadNotAnsweredWithAReset() throws Exception {
    start(Duration.ofSeconds(30));
    try (ScriptedPeer peer = drainedPeer()) {
      // A socket closed with unread input answers the next segment with a reset, after which
      // writes fail ("Broken pipe"). The JDK defers the close of a channel still registered with
      // a selector (the server's parker selects at least once a second), so the client keeps
      // sending for three of those periods; a lingering server reads it all until the client ends.
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      long sent = 0;
      while (System.nanoTime() - end < 0) {
        ping(peer, sent++);
        LockSupport.parkNanos(200_000); // pacing, not synchronisation
      }
      assertThat(sent).isPositive();
    }
  }

  @Test
  void aClientThatNeverEndsIsClosedAfterTheDrainTimeout() throws Exception {
    start(Duration.ofMillis(200));
    try (ScriptedPeer peer = drainedPeer()) {
      long[] sent = {0};
      Await.until(() -> {
        try {
          ping(peer, sent[0]++);
          return false;
        } catch (IOException e) {
          return true; // the server closed for good: the next segment met a reset
        }
      }, "the server stops lingering after its drain timeout");
    }
  }
}
