package dev.tether.cancel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.CallCanceller;
import dev.tether.CallCancelledException;
import dev.tether.CancelResult;
import dev.tether.Cancellation;
import dev.tether.Registration;
import dev.tether.Tether;
import dev.tether.TetherAdmin;
import dev.tether.e2e.TestWorkers;
import dev.tether.fixtures.EchoService;
import dev.tether.testing.Async;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every row of the COM mapping for thread-targeted cancellation, against a real worker. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CancelThreadTest {
  static Tether worker;
  static EchoService echo;
  static TetherAdmin admin;

  @BeforeAll
  static void launch() {
    worker = TestWorkers.launchEcho();
    echo = worker.get(EchoService.class, "echo");
    admin = worker.get(TetherAdmin.class, TetherAdmin.NAME);
  }

  @AfterAll
  static void close() {
    worker.close();
  }

  @AfterEach
  void connectionIsCleanAndUsable() {
    assertThat(echo.echo(99)).isEqualTo(99);
    assertThat(worker.pendingCalls()).isZero();
  }

  // ---- CoEnableCallCancellation / CoDisableCallCancellation ----

  @Test
  void cancellationIsOffByDefaultSoACancelDoesNothing() throws Exception {
    PendingCaller c = PendingCaller.startDisabled(() -> echo.spinThenReturn(5, 300_000));
    assertThat(Cancellation.cancel(c.thread, Duration.ZERO)).isEqualTo(CancelResult.NOT_ENABLED);
    assertThat(Cancellation.pendingCall(c.thread)).isEmpty();
    assertThat(c.await()).isEqualTo(5);
  }

  @Test
  void enablementIsCountedAndNests() {
    assertThat(Cancellation.isEnabled()).isFalse();
    Registration outer = Cancellation.enable();
    Registration inner = Cancellation.enable();
    inner.close();
    assertThat(Cancellation.isEnabled()).isTrue();
    inner.close(); // idempotent
    assertThat(Cancellation.isEnabled()).isTrue();
    outer.close();
    assertThat(Cancellation.isEnabled()).isFalse();
    assertThat(Cancellation.cancel(Thread.currentThread(), Duration.ZERO))
        .isEqualTo(CancelResult.NOT_ENABLED);
  }

  @Test
  void enabledThreadWithoutACallHasNoPendingCall() {
    try (var r = Cancellation.enable()) {
      assertThat(Cancellation.cancel(Thread.currentThread(), Duration.ZERO))
          .isEqualTo(CancelResult.NO_PENDING_CALL);
      assertThat(Cancellation.pendingCall(Thread.currentThread())).isEmpty();
    }
  }

  // ---- CoCancelCall outcomes ----

  @Test
  void cooperativeServerAcknowledgesWithinTheGrace() throws Exception {
    PendingCaller c = PendingCaller.startRunning(echo, () -> echo.awaitCancel(60_000));
    assertThat(Cancellation.cancel(c.thread, Duration.ofSeconds(30)))
        .isEqualTo(CancelResult.ACKNOWLEDGED);
    assertThat(c.await()).isInstanceOfSatisfying(CallCancelledException.class, e -> {
      assertThat(e.acknowledged()).isTrue();
      assertThat(e.forced()).isFalse();
    });
  }

  @Test
  void serverThatFinishesWithinTheGraceIsAnsweredWithItsResult() throws Exception {
    PendingCaller c = PendingCaller.startRunning(echo, () -> echo.sleep(300));
    assertThat(Cancellation.cancel(c.thread, Duration.ofSeconds(30)))
        .isEqualTo(CancelResult.ANSWERED);
    assertThat(c.await()).isEqualTo("slept");
  }

  @Test
  void uncooperativeServerIsForcedWhenTheGraceRunsOut() throws Exception {
    PendingCaller c = PendingCaller.startRunning(echo, () -> echo.sleep(5_000));
    long t0 = System.nanoTime();
    assertThat(Cancellation.cancel(c.thread, Duration.ofMillis(200))).isEqualTo(CancelResult.FORCED);
    assertThat(c.await()).isInstanceOfSatisfying(CallCancelledException.class,
        e -> assertThat(e.forced()).isTrue());
    assertThat(c.releasedNanos - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
  }

  @Test
  void graceZeroReleasesTheCallerAtOnce() throws Exception {
    PendingCaller c = PendingCaller.start(() -> echo.sleep(60_000));
    assertThat(Cancellation.cancel(c.thread, Duration.ZERO)).isEqualTo(CancelResult.FORCED);
    // await() is bounded by 30 s, long before the server would answer
    assertThat(c.await()).isInstanceOfSatisfying(CallCancelledException.class,
        e -> assertThat(e.forced()).isTrue());
  }

  @Test
  void unboundedGraceWaitsForTheServerWhateverItTakes() throws Exception {
    PendingCaller c = PendingCaller.startRunning(echo, () -> echo.sleep(500));
    assertThat(Cancellation.cancel(c.thread, Cancellation.NO_LIMIT)).isEqualTo(CancelResult.ANSWERED);
    assertThat(c.await()).isEqualTo("slept");
  }

  @Test
  void aSecondBoundedCancelReleasesACallWaitingWithoutLimit() throws Exception {
    PendingCaller c = PendingCaller.startRunning(echo, () -> echo.sleep(10_000));
    CompletableFuture<CancelResult> unbounded =
        Cancellation.pendingCall(c.thread).orElseThrow().cancelAsync(Cancellation.NO_LIMIT);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Cancellation.pendingCall(c.thread).map(CallCanceller::isCancelled).orElse(true)) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      Thread.onSpinWait();
    }
    assertThat(c.outcome).isNotDone();
    assertThat(Cancellation.cancel(c.thread, Duration.ofMillis(50))).isEqualTo(CancelResult.FORCED);
    assertThat(c.await()).isInstanceOf(CallCancelledException.class);
    assertThat(unbounded.get(30, TimeUnit.SECONDS)).isEqualTo(CancelResult.FORCED);
  }

  @Test
  void cancelAfterTheCallCompletedReportsAlreadyComplete() throws Exception {
    AtomicReference<CallCanceller> captured = new AtomicReference<>();
    PendingCaller c = PendingCaller.start(() -> echo.spinThenReturn(3, 200_000));
    captured.set(Cancellation.pendingCall(c.thread).orElseThrow());
    assertThat(c.await()).isEqualTo(3);
    assertThat(captured.get().cancel(Duration.ZERO)).isEqualTo(CancelResult.ALREADY_COMPLETE);
    assertThat(captured.get().isCancelled()).isFalse();
  }

  // ---- CoGetCancelObject / ICancelMethodCalls ----

  @Test
  void pendingCallIsTheCancelObjectOfTheInnermostCallAndGoesAwayAfterIt() throws Exception {
    PendingCaller c = PendingCaller.startRunning(echo, () -> echo.awaitCancel(60_000));
    Optional<CallCanceller> canceller = Cancellation.pendingCall(c.thread);
    assertThat(canceller).isPresent();
    assertThat(canceller.get().isCancelled()).isFalse();
    assertThat(canceller.get().cancel(Duration.ofSeconds(30))).isEqualTo(CancelResult.ACKNOWLEDGED);
    assertThat(canceller.get().isCancelled()).isTrue();
    assertThat(c.ended()).isTrue();
    assertThat(Cancellation.pendingCall(c.thread)).isEmpty();
  }

  // ---- CoSetCancelObject ----

  @Test
  void pushedCancelObjectIsReachedByCancelAndPoppedOnClose() throws Exception {
    List<Duration> requests = new ArrayList<>();
    CallCanceller custom = new CallCanceller() {
      private volatile boolean cancelled;

      @Override
      public synchronized CancelResult cancel(Duration grace) {
        requests.add(grace);
        cancelled = true;
        return CancelResult.ACKNOWLEDGED;
      }

      @Override
      public boolean isCancelled() {
        return cancelled;
      }
    };
    try (var e = Cancellation.enable()) {
      try (var pushed = Cancellation.push(custom)) {
        assertThat(Cancellation.pendingCall(Thread.currentThread())).contains(custom);
        Thread me = Thread.currentThread();
        CompletableFuture<CancelResult> fromOtherThread =
            Async.run(() -> Cancellation.cancel(me, Duration.ofMillis(7)));
        assertThat(fromOtherThread.get(30, TimeUnit.SECONDS)).isEqualTo(CancelResult.ACKNOWLEDGED);
      }
      assertThat(Cancellation.pendingCall(Thread.currentThread())).isEmpty();
    }
    assertThat(requests).containsExactly(Duration.ofMillis(7));
  }

  @Test
  void aProxyCallOnTopOfAPushedCancelObjectIsTheInnermost() throws Exception {
    CallCanceller custom = new CallCanceller() {
      @Override
      public CancelResult cancel(Duration grace) {
        return CancelResult.ACKNOWLEDGED;
      }

      @Override
      public boolean isCancelled() {
        return false;
      }
    };
    AtomicReference<Registration> pushed = new AtomicReference<>();
    PendingCaller c = PendingCaller.startRunning(echo, () -> {
      pushed.set(Cancellation.push(custom));
      try {
        return echo.awaitCancel(60_000);
      } finally {
        assertThat(Cancellation.pendingCall(Thread.currentThread())).contains(custom);
        pushed.get().close();
      }
    });
    assertThat(Cancellation.pendingCall(c.thread)).isPresent().get().isNotSameAs(custom);
    assertThat(Cancellation.cancel(c.thread, Duration.ofSeconds(30)))
        .isEqualTo(CancelResult.ACKNOWLEDGED);
    assertThat(c.await()).isInstanceOf(CallCancelledException.class);
  }

  @Test
  void registrationsMustBeClosedOnTheirOwnThread() throws Exception {
    Registration r = Cancellation.enable();
    try {
      CompletableFuture<Throwable> other = Async.thrownBy(r::close);
      assertThat(other.get(30, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
    } finally {
      r.close();
    }
    assertThatThrownBy(() -> Cancellation.cancel(Thread.currentThread(), Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- interruption ----

  @Test
  void interruptingTheCallerCancelsTheCallAndKeepsTheInterruptFlag() throws Exception {
    CompletableFuture<Boolean> flag = new CompletableFuture<>();
    PendingCaller c = PendingCaller.startDisabled(() -> {
      try {
        return echo.awaitCancel(60_000);
      } finally {
        flag.complete(Thread.currentThread().isInterrupted());
      }
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (worker.pendingCalls() == 0) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      Thread.onSpinWait();
    }
    c.thread.interrupt();
    assertThat(c.await()).isInstanceOfSatisfying(CallCancelledException.class,
        e -> assertThat(e.reason()).contains("interrupted"));
    assertThat(flag.get(30, TimeUnit.SECONDS)).isTrue();
  }
}
