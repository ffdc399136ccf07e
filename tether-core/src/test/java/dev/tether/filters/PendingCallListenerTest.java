package dev.tether.filters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tether.CallCancelledException;
import dev.tether.CancelResult;
import dev.tether.CancelScope;
import dev.tether.PendingCallInfo;
import dev.tether.PendingCallWatch;
import dev.tether.Registration;
import dev.tether.Tether;
import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import dev.tether.fixtures.GateService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pending-call listener against a real server: registered per handle, per scope and per
 * thread; it sees the call, runs on a virtual thread of its own, can cancel the call, and neither
 * its exceptions nor its blocking reach the call or other calls. (Its timing, and that no
 * invocation starts once the call ended, are tested deterministically on a fake clock in
 * {@code PendingWatcherTest}.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PendingCallListenerTest {
  private final GateService.Impl impl = new GateService.Impl();
  private TetherServer server;

  @BeforeEach
  void start() {
    server = TetherServer.builder().export("gate", GateService.class, impl).start();
  }

  @AfterEach
  void stop() {
    impl.release();
    server.close();
  }

  @Test
  void aHandleListenerSeesThePendingCallOnAVirtualThreadAndCanCancelIt() throws Exception {
    AtomicReference<PendingCallInfo> seen = new AtomicReference<>();
    AtomicReference<Thread> listenerThread = new AtomicReference<>();
    // completed by the listener's thread, which may still be returning from cancel() when the
    // caller (released by the same grace) has gone on: wait for it, bounded
    CompletableFuture<CancelResult> result = new CompletableFuture<>();
    PendingCallWatch watch = PendingCallWatch.after(Duration.ofMillis(50), call -> {
      seen.set(call);
      listenerThread.set(Thread.currentThread());
      result.complete(call.canceller().cancel(Duration.ofSeconds(5)));
    });
    try (Tether client = Tether.connect(server.address(),
        TetherOptions.defaults().withPendingCallWatch(watch))) {
      GateService gate = client.get(GateService.class, "gate");

      CallCancelledException e = catchThrowableOfType(CallCancelledException.class, gate::hold);

      assertThat(e.getMessage()).contains("tether-pending-listener");
      PendingCallInfo call = seen.get();
      assertThat(call.iface()).isEqualTo(GateService.class);
      assertThat(call.method().getName()).isEqualTo("hold");
      assertThat(call.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(50));
      assertThat(call.attempts()).isEqualTo(1);
      assertThat(listenerThread.get().isVirtual()).isTrue();
      assertThat(listenerThread.get()).isNotEqualTo(Thread.currentThread());
    }
    assertThat(result.get(30, TimeUnit.SECONDS)).as("the server ends hold() only when released,"
        + " so the grace runs out or it acknowledges")
        .isIn(CancelResult.FORCED, CancelResult.ACKNOWLEDGED);
  }

  @Test
  void aHandleListenerSeesAPendingAsynchronousCallAndCanCancelIt() throws Exception {
    AtomicReference<PendingCallInfo> seen = new AtomicReference<>();
    AtomicReference<Thread> listenerThread = new AtomicReference<>();
    CompletableFuture<CancelResult> result = new CompletableFuture<>();
    PendingCallWatch watch = PendingCallWatch.after(Duration.ofMillis(50), call -> {
      seen.set(call);
      listenerThread.set(Thread.currentThread());
      result.complete(call.canceller().cancel(Duration.ZERO));
    });
    try (Tether client = Tether.connect(server.address(),
        TetherOptions.defaults().withPendingCallWatch(watch))) {
      GateService gate = client.get(GateService.class, "gate");

      CompletableFuture<Integer> pending = gate.holdAsync();

      assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(CancelResult.FORCED);
      Throwable e = catchThrowable(() -> pending.get(30, TimeUnit.SECONDS));
      assertThat(e).isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(CallCancelledException.class);
      PendingCallInfo call = seen.get();
      assertThat(call.method().getName()).isEqualTo("holdAsync");
      assertThat(call.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(50));
      assertThat(call.attempts()).isEqualTo(1);
      assertThat(listenerThread.get().isVirtual()).isTrue();
    }
  }

  /** The watches that apply are those when the call is made, as for a synchronous call. */
  @Test
  void aThreadListenerWatchesTheAsynchronousCallsMadeWhileItWasRegistered() throws Exception {
    CountDownLatch cancelled = new CountDownLatch(1);
    PendingCallWatch watch = PendingCallWatch.after(Duration.ofMillis(20), call -> {
      call.canceller().cancel(Duration.ZERO);
      cancelled.countDown();
    });
    try (Tether client = Tether.connect(server.address())) {
      GateService gate = client.get(GateService.class, "gate");
      CompletableFuture<Integer> pending;
      try (Registration r = watch.pushOnThisThread()) {
        pending = gate.holdAsync();
      }

      assertThat(cancelled.await(30, TimeUnit.SECONDS)).isTrue();
      Throwable e = catchThrowable(() -> pending.get(30, TimeUnit.SECONDS));
      assertThat(e).hasCauseInstanceOf(CallCancelledException.class);
    }
  }

  @Test
  void aThreadListenerWatchesThisThreadsCallsUntilClosed() {
    // Which calls the listener saw, not how often: on a loaded machine the cancelled call may
    // take a few ticks to end on its thread, and ticks until then are fine.
    List<String> seen = new CopyOnWriteArrayList<>();
    PendingCallWatch watch = PendingCallWatch.after(Duration.ofMillis(20), call -> {
      seen.add(call.method().getName());
      call.canceller().cancel(Duration.ZERO);
    });
    try (Tether client = Tether.connect(server.address())) {
      GateService gate = client.get(GateService.class, "gate");
      try (Registration r = watch.pushOnThisThread()) {
        catchThrowableOfType(CallCancelledException.class, gate::hold);
      }
      assertThat(seen).isNotEmpty().containsOnly("hold");
      assertThat(gate.work(60)).as("no longer watched").isEqualTo(60);
      assertThat(seen).containsOnly("hold");
    }
  }

  @Test
  void aScopeListenerWatchesCallsInTheScopeAndItsChildren() {
    List<String> seen = new CopyOnWriteArrayList<>(); // which calls, not how often (see above)
    PendingCallWatch watch = PendingCallWatch.after(Duration.ofMillis(20), call -> {
      seen.add(call.method().getName());
      call.canceller().cancel(Duration.ZERO);
    });
    try (Tether client = Tether.connect(server.address());
        CancelScope outer = CancelScope.open()) {
      GateService gate = client.get(GateService.class, "gate");
      watch.registerIn(outer);
      try (CancelScope inner = CancelScope.open()) {
        catchThrowableOfType(CallCancelledException.class, gate::hold);
      }
      assertThat(seen).isNotEmpty().containsOnly("hold");
    }
  }

  @Test
  void aListenerThatThrowsOrBlocksNeverBreaksTheCallOrDelaysOthers() throws Exception {
    CountDownLatch blocked = new CountDownLatch(1);
    CountDownLatch unblock = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    AtomicInteger throwing = new AtomicInteger();
    PendingCallWatch blocker = new PendingCallWatch(Duration.ofMillis(10), Duration.ofMillis(5),
        call -> {
          maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
          blocked.countDown();
          try {
            unblock.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            running.decrementAndGet();
          }
        });
    PendingCallWatch thrower = PendingCallWatch.after(Duration.ofMillis(10), call -> {
      throwing.incrementAndGet();
      throw new IllegalStateException("listener bug");
    });
    try (Tether client = Tether.connect(server.address(),
        TetherOptions.defaults().withPendingCallWatch(blocker))) {
      GateService gate = client.get(GateService.class, "gate");
      try (Registration r = thrower.pushOnThisThread()) {
        CompletableFuture<Integer> held = CompletableFuture.supplyAsync(gate::hold);
        assertThat(blocked.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(gate.work(100)).as("the call completes despite a listener that throws")
            .isEqualTo(100);
        assertThat(throwing.get()).isPositive();
        impl.release();
        assertThat(held.get(30, TimeUnit.SECONDS))
            .as("returns while its listener is still blocked").isEqualTo(1);
        assertThat(running.get()).isPositive();
      } finally {
        unblock.countDown();
      }
    }
    assertThat(maxRunning.get()).as("one invocation per call and listener at a time, and"
        + " two calls were watched").isBetween(1, 2);
  }
}
