package dev.tether.scope;

import dev.tether.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tether.CallCancelledException;
import dev.tether.CancelScope;
import dev.tether.Cancellation;
import dev.tether.DeadlineExceededException;
import dev.tether.Tether;
import dev.tether.e2e.TestWorkers;
import dev.tether.fixtures.EchoService;
import dev.tether.testing.Async;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Cancel scopes and deadlines against a real worker. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ScopeTest {
  static Tether worker;
  static EchoService echo;

  @BeforeAll
  static void launch() {
    worker = TestWorkers.launchEcho();
    echo = worker.get(EchoService.class, "echo");
  }

  @AfterAll
  static void close() {
    worker.close();
  }

  @AfterEach
  void nothingLeftPending() {
    assertThat(Cancellation.isCancelled()).as("no scope leaked onto the test thread").isFalse();
    assertThat(echo.echo(1)).isEqualTo(1);
    assertThat(worker.pendingCalls()).isZero();
  }

  @Test
  void scopeCancelledBeforeItsFirstCallFailsItWithoutTouchingTheNetwork() {
    int started = echo.startedCount();
    try (CancelScope scope = CancelScope.open()) {
      scope.cancel("user pressed Cancel");
      assertThatThrownBy(() -> echo.awaitCancel(60_000))
          .isInstanceOfSatisfying(CallCancelledException.class, e -> {
            assertThat(e.outcome()).isEqualTo(CallCancelledException.Outcome.NOT_SENT);
            assertThat(e.reason()).isEqualTo("user pressed Cancel");
            assertThat(e).hasMessageContaining("user pressed Cancel");
          });
      assertThat(scope.isCancelled()).isTrue();
      assertThat(scope.cancellationReason()).contains("user pressed Cancel");
    }
    assertThat(echo.startedCount()).isEqualTo(started);
  }

  @Test
  void cancellingAScopeCancelsTheCallPendingInItWithItsGrace() throws Exception {
    CompletableFuture<CancelScope> opened = new CompletableFuture<>();
    CompletableFuture<Throwable> call = Async.thrownBy(() -> {
      try (CancelScope scope = CancelScope.builder().grace(Duration.ofSeconds(30)).open()) {
        opened.complete(scope);
        echo.awaitCancel(60_000);
      }
    });
    CancelScope scope = opened.get(30, TimeUnit.SECONDS);
    awaitPending();
    scope.cancel("stop");
    assertThat(call.get(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(CallCancelledException.class,
        e -> {
          assertThat(e.acknowledged()).isTrue();
          assertThat(e.reason()).isEqualTo("stop");
        });
  }

  @Test
  void noCallEverEscapesACancelledScopeWhateverTheTiming() throws Exception {
    java.util.Random random = new java.util.Random(42);
    int before = 0;
    int between = 0;
    int during = 0;
    for (int i = 0; i < 1000; i++) {
      // Three rounds in four make one case certain, whatever the machine's speed (on a loaded
      // machine a call outlasts any random offset, and "between" never happened by chance); the
      // fourth cancels after a random offset.
      int mode = i % 4;
      CompletableFuture<CancelScope> opened = new CompletableFuture<>();
      CountDownLatch go = new CountDownLatch(1); // BEFORE and BETWEEN: the scope was cancelled
      CountDownLatch firstDone = new CountDownLatch(1); // BETWEEN: one call has completed
      int startedBefore = echo.startedCount();
      // Calls until one is cancelled, then two more that must fail without being sent.
      CompletableFuture<String> run = Async.run(() -> {
        int completed = 0;
        try (CancelScope scope = CancelScope.builder().grace(Duration.ZERO).open()) {
          opened.complete(scope);
          if (mode == BEFORE) {
            go.await();
          }
          CallCancelledException first = null;
          while (first == null) {
            try {
              if (mode == DURING && completed == 0) {
                // Runs until cancelled, so the cancel certainly meets it running (a 50 ms sleep
                // ended before the test's cancel on a loaded machine, making it "between").
                echo.awaitCancel(60_000);
              } else {
                echo.spinThenReturn(completed, 20);
              }
              completed++;
              if (mode == BETWEEN && completed == 1) {
                firstDone.countDown();
                go.await();
              }
            } catch (CallCancelledException e) {
              first = e;
            }
          }
          for (int k = 0; k < 2; k++) {
            try {
              echo.echo(k);
              return "a call succeeded after the scope was cancelled";
            } catch (CallCancelledException e) {
              if (e.outcome() != CallCancelledException.Outcome.NOT_SENT) {
                return "a call was sent after the scope was cancelled: " + e.outcome();
              }
            }
          }
          boolean notSent = first.outcome() == CallCancelledException.Outcome.NOT_SENT;
          return completed == 0 && notSent ? "before" : notSent ? "between" : "during";
        }
      });
      CancelScope scope = opened.get(30, TimeUnit.SECONDS);
      switch (mode) {
        case BETWEEN -> assertThat(firstDone.await(30, TimeUnit.SECONDS)).isTrue();
        case DURING -> Await.until(() -> echo.startedCount() > startedBefore, "the call to run");
        case RANDOM -> {
          long until = System.nanoTime() + random.nextInt(300_000);
          while (System.nanoTime() < until) {
            Thread.onSpinWait();
          }
        }
        default -> { } // BEFORE: the first call waits for the cancel
      }
      scope.cancel();
      go.countDown();
      String r = run.get(30, TimeUnit.SECONDS);
      if (mode != RANDOM) {
        assertThat(r).as("iteration %d", i).isEqualTo(MODES[mode]);
      }
      switch (r) {
        case "before" -> before++;
        case "between" -> between++;
        case "during" -> during++;
        default -> throw new AssertionError("iteration " + i + ": " + r);
      }
    }
    assertThat(new int[] {before, between, during}).as("before start, between calls, during a call")
        .doesNotContain(0);
  }

  private static final int BEFORE = 0;
  private static final int BETWEEN = 1;
  private static final int DURING = 2;
  private static final int RANDOM = 3;
  private static final String[] MODES = {"before", "between", "during"};

  @Test
  void cancellingAParentCancelsItsChildButNotTheOtherWayRound() {
    try (CancelScope parent = CancelScope.open()) {
      try (CancelScope child = CancelScope.open()) {
        child.cancel("child only");
        assertThatThrownBy(() -> echo.echo(1)).isInstanceOf(CallCancelledException.class);
      }
      assertThat(parent.isCancelled()).isFalse();
      assertThat(echo.echo(2)).isEqualTo(2);
      try (CancelScope child = CancelScope.open()) {
        parent.cancel("parent");
        assertThat(child.isCancelled()).isTrue();
        assertThat(child.cancellationReason()).contains("parent");
        assertThatThrownBy(() -> echo.echo(3)).isInstanceOf(CallCancelledException.class);
      }
    }
  }

  @Test
  void deadlineTravelsWithTheCallAndCancelsItWhenItPasses() {
    try (CancelScope scope = CancelScope.withTimeout(Duration.ofSeconds(20))) {
      assertThat(echo.remainingDeadlineMillis()).isBetween(1L, 20_000L);
      assertThat(scope.deadline()).isPresent();
    }
    assertThat(echo.remainingDeadlineMillis()).isEqualTo(-1);
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> CancelScope.callWithTimeout(Duration.ofMillis(200),
        () -> echo.awaitCancel(60_000)))
        .isInstanceOfSatisfying(DeadlineExceededException.class,
            e -> assertThat(e.acknowledged()).isTrue());
    assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
  }

  @Test
  void callerIsReleasedAtTheDeadlinePlusTheGraceWhateverTheServerDoes() {
    int started = echo.startedCount();
    long t0 = System.nanoTime();
    DeadlineExceededException e;
    try (CancelScope s = CancelScope.builder().timeout(Duration.ofMillis(100))
        .grace(Duration.ofMillis(200)).open()) {
      e = catchThrowableOfType(DeadlineExceededException.class, () -> echo.sleep(20_000));
    }
    long took = System.nanoTime() - t0;
    assertThat(e).as("the call fails with the deadline").isNotNull();
    if (echo.startedCount() > started) {
      // The server ran sleep, which ignores cancellation: only the grace ends the wait.
      assertThat(e.forced()).as("released by force").isTrue();
      assertThat(took).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
    } else {
      // On a loaded machine the CALL can reach the server after its deadline: the server then
      // skips the method and acknowledges at once, which is also right.
      assertThat(e.acknowledged()).as("acknowledged without running").isTrue();
      assertThat(took).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
    }
  }

  @Test
  void callsAfterTheDeadlineFailAtOnce() {
    try (CancelScope s = CancelScope.withDeadline(Instant.now().minusSeconds(1))) {
      assertThatThrownBy(() -> echo.echo(1))
          .isInstanceOfSatisfying(DeadlineExceededException.class,
              e -> assertThat(e.outcome()).isEqualTo(CallCancelledException.Outcome.NOT_SENT));
    }
  }

  @Test
  void tasksWrappedByTheScopeBelongToItOnOtherThreads() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (CancelScope scope = CancelScope.builder().grace(Duration.ofSeconds(30)).open()) {
      CompletableFuture<Throwable> inPool = new CompletableFuture<>();
      scope.executor(pool).execute(() -> {
        try {
          echo.awaitCancel(60_000);
          inPool.complete(null);
        } catch (Throwable t) {
          inPool.complete(t);
        }
      });
      awaitPending();
      scope.cancel("shutting down");
      assertThat(inPool.get(30, TimeUnit.SECONDS)).isInstanceOf(CallCancelledException.class);
      CompletableFuture<Throwable> later = new CompletableFuture<>();
      pool.execute(scope.wrap(() -> {
        try {
          echo.echo(1);
          later.complete(null);
        } catch (Throwable t) {
          later.complete(t);
        }
      }));
      assertThat(later.get(30, TimeUnit.SECONDS)).isInstanceOf(CallCancelledException.class);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void scopeCallbacksRunOnceAndScopesMustBeClosedByTheirOpener() throws Exception {
    CancelScope scope = CancelScope.open();
    try {
      java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
      CompletableFuture<Thread> ranOn = new CompletableFuture<>();
      scope.onCancel(() -> {
        runs.incrementAndGet();
        ranOn.complete(Thread.currentThread());
      });
      scope.cancel("a");
      scope.cancel("b");
      assertThat(ranOn.get(30, TimeUnit.SECONDS))
          .as("a callback runs on a virtual thread, not the cancelling one")
          .isNotSameAs(Thread.currentThread()).satisfies(t -> assertThat(t.isVirtual()).isTrue());
      scope.onCancel(runs::incrementAndGet); // already cancelled: runs at once, on this thread
      assertThat(runs).hasValue(2);
      assertThat(scope.cancellationReason()).contains("a");
      assertThat(Async.thrownBy(scope::close).get(30, TimeUnit.SECONDS))
          .isInstanceOf(IllegalStateException.class);
    } finally {
      scope.close();
    }
    assertThatThrownBy(scope::join).isInstanceOf(IllegalStateException.class);
  }

  static void awaitPending() throws InterruptedException {
    Await.until(() -> worker.pendingCalls() > 0, "a call to become pending");
  }
}
