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
import dev.tether.wire.ScriptedPeer;
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

/**
 * Server-side {@code onCancel} callbacks are user code: they run once, never on the connection's
 * reader (a blocking one must not stall other calls), and the cancelled call answers only after
 * they have returned. Driven frame by frame by a scripted client.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OnCancelCallbackTest {
  final CountDownLatch running = new CountDownLatch(1);
  final CountDownLatch callbackEntered = new CountDownLatch(1);
  final CountDownLatch releaseCallback = new CountDownLatch(1);
  final AtomicInteger callbackRuns = new AtomicInteger();
  final CompletableFuture<Thread> callbackThread = new CompletableFuture<>();
  TetherServer server;

  @BeforeEach
  void start() {
    server = TetherServer.builder()
        .export("echo", EchoService.class, new EchoServiceImpl() {
          @Override
          public int awaitCancel(long maxMillis) {
            Cancellation.onCancel(() -> {
              callbackThread.complete(Thread.currentThread());
              callbackEntered.countDown();
              try {
                releaseCallback.await(60, TimeUnit.SECONDS); // a slow callback
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              callbackRuns.incrementAndGet();
            });
            running.countDown();
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
            while (!Cancellation.isCancelled() && System.nanoTime() < end) {
              Thread.onSpinWait();
            }
            Cancellation.throwIfCancelled(); // answers as soon as it sees the cancel
            return -1;
          }
        })
        .listen("mem:" + UUID.randomUUID())
        .start();
  }

  @AfterEach
  void stop() {
    releaseCallback.countDown();
    server.close();
  }

  @Test
  void aBlockingOnCancelCallbackStallsNeitherTheConnectionNorRunsAfterTheAnswer()
      throws Exception {
    InterfaceSchema schema = InterfaceSchema.of(EchoService.class);
    int awaitCancel = schema.indexOf(EchoService.class.getMethod("awaitCancel", long.class));
    int echo = schema.indexOf(EchoService.class.getMethod("echo", int.class));
    try (ScriptedPeerAccess peer = new ScriptedPeerAccess(
        Transports.connect(Endpoint.parse(server.address()), Duration.ofSeconds(5)))) {
      peer.hello();
      peer.send(w -> Frames.resolve(w, 1, "echo", EchoService.class.getName(),
          schema.signatures(), Integer.MAX_VALUE));
      assertThat(peer.nextOf(FrameKind.RESOLVED).detail()).isEqualTo("0");
      peer.send(w -> {
        Frames.beginCall(w, 2, 0, awaitCancel, -1);
        w.writeLong(60_000);
        Frames.end(w, Integer.MAX_VALUE);
      });
      assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
      peer.send(w -> Frames.cancel(w, 2, false, false, TimeUnit.SECONDS.toNanos(30)));
      assertThat(callbackEntered.await(30, TimeUnit.SECONDS)).isTrue();

      // The callback blocks. Another call on the same connection is still read and answered...
      peer.send(w -> {
        Frames.beginCall(w, 3, 0, echo, -1);
        w.writeInt(5);
        Frames.end(w, Integer.MAX_VALUE);
      });
      ScriptedPeer.Received first = peer.next();
      assertThat(first.kind()).as("the next frame: %s", first).isEqualTo(FrameKind.RESULT);
      assertThat(first.callId()).isEqualTo(3);
      // ... while the cancelled call, which has seen the cancel, holds its answer for the callback.
      assertThat(callbackRuns).hasValue(0);
      releaseCallback.countDown();
      ScriptedPeer.Received ack = peer.next();
      assertThat(ack.kind()).as("then: %s", ack).isEqualTo(FrameKind.CANCEL_ACK);
      assertThat(ack.callId()).isEqualTo(2);
      assertThat(callbackRuns).as("the callback returned before the answer went out").hasValue(1);
      assertThat(callbackThread.get().isVirtual()).isTrue();
      assertThat(callbackThread.get().getName()).doesNotContain("reader");
    }
  }
}
