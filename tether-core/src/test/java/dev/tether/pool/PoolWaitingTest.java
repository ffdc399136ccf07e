package dev.tether.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tether.CallCancelledException;
import dev.tether.CancelResult;
import dev.tether.CancelScope;
import dev.tether.Cancellation;
import dev.tether.DeadlineExceededException;
import dev.tether.ErrorCode;
import dev.tether.TetherException;
import dev.tether.TetherPool;
import dev.tether.fixtures.PoolProbe;
import dev.tether.fixtures.PoolProbeAsync;
import dev.tether.testing.Await;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A pool of one worker with one slot, so that one call held open makes every other caller wait:
 * how that wait ends (deadline, maximum wait, cancel, interrupt, scope) and how slots come back.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PoolWaitingTest {
  static TetherPool pool;
  static PoolProbe probe;
  static PoolProbeAsync async;

  @BeforeAll
  static void start() {
    pool = TetherPool.start(PoolWorkers.pool().minWorkers(1).maxWorkers(1)
        .maxCallsPerWorker(1).maxWait(Duration.ofSeconds(2)).build());
    probe = pool.get(PoolProbe.class, "probe");
    async = pool.get(PoolProbeAsync.class, "probe");
  }

  @AfterAll
  static void stop() {
    pool.close();
  }

  @AfterEach
  void slotIsFreeAgain() throws InterruptedException {
    Await.until(() -> pool.stats().callsInFlight() == 0 && pool.stats().unansweredCalls() == 0,
        "every slot given back");
    assertThat(probe.echo("free")).isEqualTo("free");
  }

  /** Holds the only slot with an asynchronous call until {@link #release}. */
  private static CompletableFuture<Long> holdTheOnlySlot() throws InterruptedException {
    CompletableFuture<Long> held = async.block(60_000);
    Await.until(() -> pool.stats().busyWorkers() == 1, "the only worker busy");
    return held;
  }

  /** Ends the held call politely: the worker acknowledges, so its slot is free at once. */
  private static void release(CompletableFuture<Long> held) {
    assertThat(Cancellation.cancel(held, Duration.ofSeconds(10)))
        .isEqualTo(CancelResult.ACKNOWLEDGED);
    assertThatThrownBy(held::join).hasCauseInstanceOf(CallCancelledException.class);
  }

  private static Thread waitingCaller(AtomicReference<Throwable> thrown, boolean enable) {
    return Thread.ofPlatform().name("waiting-caller").start(() -> {
      try (var r = enable ? Cancellation.enable() : null) {
        probe.echo("never sent");
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
  }

  @Test
  void aWaitEndsAtTheCallersDeadlineWithDeadlineExceededNamingThePool() throws Exception {
    CompletableFuture<Long> held = holdTheOnlySlot();
    long t0 = System.nanoTime();
    Throwable t = catchThrowable(() -> CancelScope.callWithTimeout(Duration.ofMillis(150),
        () -> probe.echo("late")));
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    release(held);

    assertThat(t).isInstanceOf(DeadlineExceededException.class)
        .hasMessageContaining("waiting for a free worker of pool 'test-pool'");
    assertThat(((DeadlineExceededException) t).outcome())
        .isEqualTo(CallCancelledException.Outcome.NOT_SENT);
    assertThat(waitedMs).isBetween(140L, 1_900L); // the deadline, not maxWait (2 s), ended it
  }

  @Test
  void aWaitWithoutDeadlineEndsAfterMaxWaitWithPoolExhausted() throws Exception {
    CompletableFuture<Long> held = holdTheOnlySlot();
    long t0 = System.nanoTime();
    Throwable t = catchThrowable(() -> probe.echo("late"));
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    release(held);

    assertThat(t).isInstanceOf(TetherException.class)
        .hasMessageContaining("became free within PT2S (maxWait)")
        .hasMessageContaining("1 worker, at most 1, 1 call each");
    assertThat(((TetherException) t).code()).isEqualTo(ErrorCode.POOL_EXHAUSTED);
    assertThat(waitedMs).isGreaterThanOrEqualTo(1_990L);
  }

  @Test
  void cancelOfAWaitingThreadReleasesItLikeAPendingCall() throws Exception {
    CompletableFuture<Long> held = holdTheOnlySlot();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread caller = waitingCaller(thrown, true);
    Await.until(() -> Cancellation.pendingCall(caller).isPresent(), "caller waiting");

    assertThat(Cancellation.cancel(caller, Duration.ofSeconds(1))).isEqualTo(CancelResult.FORCED);
    assertThat(caller.join(Duration.ofSeconds(10))).isTrue();
    release(held);

    assertThat(thrown.get()).isInstanceOf(CallCancelledException.class)
        .hasMessageContaining("cancelled while waiting for a free worker");
    assertThat(((CallCancelledException) thrown.get()).outcome())
        .isEqualTo(CallCancelledException.Outcome.NOT_SENT);
    assertThat(pool.stats().waiting()).isZero();
  }

  @Test
  void interruptOfAWaitingThreadReleasesItAndKeepsTheFlag() throws Exception {
    CompletableFuture<Long> held = holdTheOnlySlot();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicBoolean flagKept = new AtomicBoolean();
    Thread caller = Thread.ofPlatform().start(() -> {
      try {
        probe.echo("never sent");
      } catch (Throwable t) {
        thrown.set(t);
        flagKept.set(Thread.currentThread().isInterrupted());
      }
    });
    Await.until(() -> pool.stats().waiting() == 1, "caller waiting");

    caller.interrupt();
    assertThat(caller.join(Duration.ofSeconds(10))).isTrue();
    release(held);

    assertThat(thrown.get()).isInstanceOf(CallCancelledException.class)
        .hasMessageContaining("interrupted while waiting for a free worker");
    assertThat(flagKept).isTrue();
  }

  @Test
  void cancellingTheScopeOfAWaitingCallerReleasesIt() throws Exception {
    CompletableFuture<Long> held = holdTheOnlySlot();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<CancelScope> scope = new AtomicReference<>();
    Thread caller = Thread.ofPlatform().start(() -> {
      try (CancelScope s = CancelScope.open()) {
        scope.set(s);
        probe.echo("never sent");
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    Await.until(() -> pool.stats().waiting() == 1, "caller waiting");

    scope.get().cancel("user pressed stop");
    assertThat(caller.join(Duration.ofSeconds(10))).isTrue();
    release(held);

    assertThat(thrown.get()).isInstanceOf(CallCancelledException.class)
        .hasMessageContaining("user pressed stop while waiting for a free worker");
  }

  @Test
  void aCallerWaitingWhenTheSlotFreesGetsIt() throws Exception {
    CompletableFuture<Long> held = holdTheOnlySlot();
    CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> probe.echo("next"));
    Await.until(() -> pool.stats().waiting() == 1, "caller waiting");

    release(held);

    assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("next");
  }

  @Test
  void asynchronousCallsGiveTheirSlotBackWhenTheirFutureCompletes() throws Exception {
    for (int i = 0; i < 30; i++) { // one slot: a slot kept by a completed future would starve
      assertThat(async.pid().get(10, TimeUnit.SECONDS)).isPositive();
    }
    CompletableFuture<Long> held = async.block(60_000);
    assertThat(pool.stats().callsInFlight()).isEqualTo(1);
    release(held); // returns once the caller's future completed
    assertThat(pool.stats().callsInFlight()).isZero(); // so the slot is already back
  }

  @Test
  void aForceReleasedCallKeepsItsWorkerBusyUntilTheWorkerHasAnswered() throws Exception {
    CompletableFuture<Long> held = async.block(60_000);
    Await.until(() -> pool.stats().busyWorkers() == 1, "the only worker busy");

    held.cancel(true); // grace zero: the caller is released before the worker stops

    assertThat(pool.stats().unansweredCalls()).isEqualTo(1);
    assertThat(pool.stats().busyWorkers()).isEqualTo(1);
    // the worker sees the cancel and stops; the pool learns it and frees the slot (AfterEach)
  }

  @Test
  void getOfANameNoWorkerExportsFailsAtOnceLikeTetherGet() {
    Throwable t = catchThrowable(() -> pool.get(PoolProbe.class, "no such object"));
    assertThat(t).isInstanceOf(TetherException.class);
    assertThat(((TetherException) t).code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(pool.get(PoolProbe.class, "probe")).isSameAs(probe);
  }

  @Test
  void aCallInACancelledScopeIsNotSentAndTakesNoSlot() {
    try (CancelScope s = CancelScope.open()) {
      s.cancel("gave up");
      assertThatThrownBy(() -> probe.echo("x")).isInstanceOf(CallCancelledException.class)
          .hasMessageContaining("gave up");
    }
    assertThat(pool.stats().callsInFlight()).isZero();
  }
}
