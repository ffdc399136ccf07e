package dev.tether.scope;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.Cancellation;
import dev.tether.TetherServer;
import dev.tether.fixtures.EchoService;
import dev.tether.fixtures.EchoServiceImpl;
import dev.tether.internal.codec.InterfaceSchema;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.transport.Transports;
import dev.tether.internal.wire.FrameKind;
import dev.tether.internal.wire.Frames;
import dev.tether.wire.ScriptedPeerAccess;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server side of cancellation, driven frame by frame by a scripted client. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerSideCancelTest {
  final AtomicInteger onCancelRuns = new AtomicInteger();
  final CompletableFuture<Long> deadlineSeenMillis = new CompletableFuture<>();
  final CountDownLatch running = new CountDownLatch(1);
  TetherServer server;

  @BeforeEach
  void start() {
    server = TetherServer.builder()
        .export("echo", EchoService.class, new EchoServiceImpl() {
          @Override
          public int awaitCancel(long maxMillis) {
            deadlineSeenMillis.complete(remainingDeadlineMillis());
            Cancellation.onCancel(onCancelRuns::incrementAndGet);
            running.countDown();
            int r = super.awaitCancel(maxMillis);
            return r;
          }
        })
        .listen("mem:" + UUID.randomUUID())
        .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private ScriptedPeerAccess resolvedPeer() throws Exception {
    ScriptedPeerAccess peer = new ScriptedPeerAccess(
        Transports.connect(Endpoint.parse(server.address()), Duration.ofSeconds(5)));
    peer.hello();
    peer.send(w -> Frames.resolve(w, 1, "echo", EchoService.class.getName(),
        InterfaceSchema.of(EchoService.class).signatures(), Integer.MAX_VALUE));
    assertThat(peer.nextOf(FrameKind.RESOLVED).detail()).isEqualTo("0");
    return peer;
  }

  private static int awaitCancelIndex() throws Exception {
    return InterfaceSchema.of(EchoService.class)
        .indexOf(EchoService.class.getMethod("awaitCancel", long.class));
  }

  @Test
  void deadlineExpiresOnTheServerWhileTheClientStaysSilent() throws Exception {
    int method = awaitCancelIndex();
    try (ScriptedPeerAccess peer = resolvedPeer()) {
      long t0 = System.nanoTime();
      peer.send(w -> {
        Frames.beginCall(w, 2, 0, method, TimeUnit.MILLISECONDS.toNanos(300));
        w.writeLong(60_000);
        Frames.end(w, Integer.MAX_VALUE);
      });
      var ack = peer.nextOf(FrameKind.CANCEL_ACK);
      assertThat(ack.callId()).isEqualTo(2);
      assertThat(ack.detail()).contains("deadline");
      assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
      assertThat(deadlineSeenMillis.get(30, TimeUnit.SECONDS)).isBetween(1L, 300L);
      assertThat(onCancelRuns).hasValue(1);
    }
  }

  @Test
  void onCancelRunsExactlyOnceHoweverManyCancelsArrive() throws Exception {
    int method = awaitCancelIndex();
    try (ScriptedPeerAccess peer = resolvedPeer()) {
      peer.send(w -> {
        Frames.beginCall(w, 2, 0, method, -1);
        w.writeLong(60_000);
        Frames.end(w, Integer.MAX_VALUE);
      });
      assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 3; i++) {
        peer.send(w -> Frames.cancel(w, 2, false, false, TimeUnit.SECONDS.toNanos(30)));
      }
      assertThat(peer.nextOf(FrameKind.CANCEL_ACK).callId()).isEqualTo(2);
      assertThat(onCancelRuns).hasValue(1);
      peer.send(w -> Frames.cancel(w, 2, true, false, 0)); // after the answer: ignored
      peer.send(w -> Frames.ping(w, false, 5));
      assertThat(peer.nextOf(FrameKind.PONG).detail()).isEqualTo("5");
      assertThat(onCancelRuns).hasValue(1);
    }
  }

  @Test
  void callWhoseDeadlineHasAlreadyPassedIsAcknowledgedWithoutRunningIt() throws Exception {
    int method = awaitCancelIndex();
    try (ScriptedPeerAccess peer = resolvedPeer()) {
      peer.send(w -> { // no time left at all
        Frames.beginCall(w, 2, 0, method, 0);
        w.writeLong(60_000);
        Frames.end(w, Integer.MAX_VALUE);
      });
      assertThat(peer.nextOf(FrameKind.CANCEL_ACK).callId()).isEqualTo(2);
      assertThat(running.getCount()).as("the method never ran").isEqualTo(1);
    }
  }
}
