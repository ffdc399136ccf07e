package dev.tether.wire;

import dev.tether.fixtures.PlainTcp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ErrorCode;
import dev.tether.Tether;
import dev.tether.TetherServer;
import dev.tether.fixtures.EchoService;
import dev.tether.fixtures.EchoServiceImpl;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.transport.Transports;
import dev.tether.internal.wire.FrameKind;
import dev.tether.internal.wire.Frames;
import dev.tether.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every way a connection ends frees the server's accounting for it, exactly once. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionAccountingTest {
  TetherServer server;

  @BeforeEach
  void start() {
    server = TetherServer.builder()
        .export("echo", EchoService.class, new EchoServiceImpl())
        .listen("tcp:127.0.0.1:0").insecurePlaintextTcp()
        .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private ScriptedPeer greetedPeer() throws Exception {
    ScriptedPeer peer = new ScriptedPeer(
        Transports.connect(Endpoint.parse(server.address()), Duration.ofSeconds(5)));
    peer.hello();
    assertThat(peer.next().kind()).isEqualTo(FrameKind.HELLO);
    return peer;
  }

  private static void sayGoAway(ScriptedPeer peer) throws Exception {
    peer.send(w -> Frames.goAway(w, ErrorCode.UNAVAILABLE, "client leaving"));
  }

  @Test
  void clientsThatSayGoAwayAndCloseAreNoLongerCounted() throws Exception {
    for (int i = 0; i < 3; i++) {
      try (ScriptedPeer peer = greetedPeer()) {
        sayGoAway(peer);
      }
    }
    Await.until(() -> server.stats().connections() == 0, "no connection counted");
    assertThat(server.stats().connectionsAccepted()).isEqualTo(3);
  }

  @Test
  void aClientThatSaysGoAwayIsClosedByTheServer() throws Exception {
    try (ScriptedPeer peer = greetedPeer()) {
      sayGoAway(peer);
      peer.awaitEof();
    }
    Await.until(() -> server.stats().connections() == 0, "no connection counted");
  }

  @Test
  void clientsThatCloseOrDisconnectAreNoLongerCounted() throws Exception {
    try (Tether a = Tether.connect(server.address(), PlainTcp.OPTIONS);
        Tether b = Tether.connect(server.address(), PlainTcp.OPTIONS)) {
      assertThat(a.get(EchoService.class, "echo").echo(1)).isEqualTo(1);
      assertThat(b.get(EchoService.class, "echo").echo(2)).isEqualTo(2);
      assertThat(server.stats().connections()).isEqualTo(2);
    }
    Await.until(() -> server.stats().connections() == 0, "closed clients no longer counted");
    try (ScriptedPeer silent = greetedPeer()) {
      assertThat(server.stats().connections()).isEqualTo(1);
    }
    Await.until(() -> server.stats().connections() == 0, "no connection counted");
  }

  @Test
  void closingTheServerWhileClientsConnectLeavesNoConnectionBehind() throws Exception {
    int threads = 4;
    CountDownLatch connecting = new CountDownLatch(threads);
    List<ScriptedPeer> peers = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> connectors = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      connectors.add(Thread.ofPlatform().start(() -> {
        connecting.countDown();
        while (true) {
          try {
            peers.add(new ScriptedPeer(Transports.connect(Endpoint.parse(server.address()),
                Duration.ofSeconds(5))));
          } catch (Exception refused) {
            return; // the server stopped accepting
          }
        }
      }));
    }
    connecting.await();
    Await.until(() -> server.stats().connectionsAccepted() >= 20, "some connections accepted");
    server.close();
    for (Thread t : connectors) {
      t.join(TimeUnit.SECONDS.toMillis(30));
    }
    assertThat(server.stats().connections()).isZero();
    for (ScriptedPeer p : List.copyOf(peers)) {
      try (p) {
        p.awaitEof(); // refused at the door, or closed by the server: never left open
      }
    }
  }
}
