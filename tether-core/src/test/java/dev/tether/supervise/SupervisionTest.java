package dev.tether.supervise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.CallCancelledException;
import dev.tether.CancelResult;
import dev.tether.Cancellation;
import dev.tether.ConnectionClosedException;
import dev.tether.LivenessLostException;
import dev.tether.SupervisionPolicy;
import dev.tether.SupervisionStats;
import dev.tether.SupervisionStats.Kind;
import dev.tether.Tether;
import dev.tether.TetherOptions;
import dev.tether.WorkerCrashedException;
import dev.tether.WorkerFailedException;
import dev.tether.WorkerHistory;
import dev.tether.WorkerRestartedException;
import dev.tether.fixtures.CrashService;
import dev.tether.testing.Await;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The supervisor with real worker processes: hung calls, stopped workers, crash storms. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SupervisionTest {
  static final SupervisionPolicy.Builder FAST = SupervisionPolicy.builder()
      .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
      .stopTimeout(Duration.ofMillis(500));

  static Tether launch(SupervisionPolicy policy, TetherOptions options) {
    return Tether.launch(WorkerFailureTest.spec().supervision(policy).options(options).build());
  }

  static Tether launch(SupervisionPolicy policy) {
    return launch(policy, TetherOptions.defaults());
  }

  /**
   * Calls {@code spinForever} and releases its caller with a forced cancel once the worker runs
   * it, so the worker is sure to be left with an orphan. (A deadline instead could fire before a
   * cold JVM has even sent the call: then it never ran.)
   */
  static void forceReleaseWhileItSpins(CrashService c) throws Exception {
    int before = c.spinnersStarted();
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread caller = Thread.ofVirtual().start(() -> {
      try (var enabled = Cancellation.enable()) {
        c.spinForever();
        outcome.complete(null);
      } catch (Throwable e) {
        outcome.complete(e);
      }
    });
    Await.until(() -> c.spinnersStarted() > before
        && Cancellation.pendingCall(caller).isPresent(), "the worker spins");
    assertThat(Cancellation.cancel(caller, Duration.ofMillis(50))).isEqualTo(CancelResult.FORCED);
    assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(
        CallCancelledException.class,
        e -> assertThat(e.outcome()).isEqualTo(CallCancelledException.Outcome.FORCED));
  }

  static SupervisionStats stats(Tether t) {
    return t.supervision().orElseThrow();
  }

  @Test
  void workerStuckInAnUncancellableLoopIsRestartedAndTheSameProxyReachesTheNewOne()
      throws Exception {
    try (Tether t = launch(FAST.onHungCall(Duration.ofMillis(300),
        SupervisionPolicy.HungAction.RESTART).build())) {
      CrashService c = t.get(CrashService.class, "crash");
      long firstPid = c.pid();
      CompletableFuture<Throwable> bystander = new CompletableFuture<>();
      Thread.ofVirtual().start(() -> {
        try {
          c.block(60_000);
          bystander.complete(null);
        } catch (Throwable e) {
          bystander.complete(e);
        }
      });
      Await.until(() -> t.pendingCalls() == 1, "the bystander call is pending");
      forceReleaseWhileItSpins(c);
      long released = System.nanoTime();
      assertThat(bystander.get(30, TimeUnit.SECONDS))
          .isInstanceOfSatisfying(WorkerRestartedException.class,
              e -> assertThat(e.reason()).isEqualTo(WorkerRestartedException.Reason.HUNG))
          .hasMessageContaining("killed because it was hung")
          .hasMessageContaining("spinForever");
      long newPid = c.pid(); // the same proxy, waiting for the new worker if need be
      long serving = System.nanoTime();
      assertThat(newPid).isNotEqualTo(firstPid);
      assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      SupervisionStats s = stats(t);
      assertThat(s.hungKills()).isEqualTo(1);
      assertThat(s.restarts()).isEqualTo(1);
      assertThat(s.state()).isEqualTo(SupervisionStats.State.RUNNING);
      assertThat(s.pid()).isEqualTo(newPid);
      WorkerHistory history = t.get(WorkerHistory.class, WorkerHistory.NAME);
      assertThat(history.incarnation()).isEqualTo(2);
      assertThat(history.earlier()).anyMatch(line -> line.contains("KILLED_HUNG")
          && line.contains(Long.toString(firstPid)));
      System.out.printf("hang: caller released -> new worker serving after %.0f ms%n",
          (serving - released) / 1e6);
    }
  }

  @Test
  void hungCallIsOnlyReportedWhenThePolicySaysSo() throws Exception {
    try (Tether t = launch(FAST.onHungCall(Duration.ofMillis(200),
        SupervisionPolicy.HungAction.REPORT).build())) {
      CrashService c = t.get(CrashService.class, "crash");
      long pid = c.pid();
      forceReleaseWhileItSpins(c);
      Await.until(() -> stats(t).hungReports() > 0, "the hung call is reported");
      assertThat(c.pid()).isEqualTo(pid);
      assertThat(stats(t).history()).extracting(SupervisionStats.Event::kind)
          .contains(Kind.HUNG_REPORTED).doesNotContain(Kind.KILLED_HUNG);
    }
  }

  @Test
  void stoppedWorkerIsDetectedByLivenessAndRestarted() throws Exception {
    try (Tether t = launch(FAST.build(), TetherOptions.defaults()
        .withLiveness(Duration.ofMillis(200), Duration.ofMillis(500)))) {
      CrashService c = t.get(CrashService.class, "crash");
      long pid = c.pid();
      CompletableFuture<Throwable> pending = new CompletableFuture<>();
      Thread.ofVirtual().start(() -> {
        try {
          c.block(60_000);
          pending.complete(null);
        } catch (Throwable e) {
          pending.complete(e);
        }
      });
      Await.until(() -> t.pendingCalls() == 1, "a call is pending");
      long stopped = System.nanoTime();
      signal("STOP", pid);
      try {
        assertThat(pending.get(30, TimeUnit.SECONDS))
            .isInstanceOf(LivenessLostException.class)
            .hasMessageContaining("liveness ping");
        long detected = System.nanoTime();
        long newPid = c.pid();
        long serving = System.nanoTime();
        assertThat(newPid).isNotEqualTo(pid);
        assertThat(stats(t).livenessLosses()).isEqualTo(1);
        System.out.printf("SIGSTOP -> detected after %.0f ms, new worker serving after %.0f ms%n",
            (detected - stopped) / 1e6, (serving - stopped) / 1e6);
        assertThat(Duration.ofNanos(detected - stopped)).isLessThan(Duration.ofSeconds(10));
      } finally {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        signal("CONT", pid);
      }
    }
  }

  @Test
  void restartIntensityIsHonouredThenEveryCallSaysTheHandleFailed() throws Exception {
    try (Tether t = launch(FAST.intensity(2, Duration.ofMinutes(1)).build())) {
      CrashService c = t.get(CrashService.class, "crash");
      for (int i = 0; i < 3; i++) {
        int code = 10 + i;
        assertThatThrownBy(() -> c.crash(code, "crash " + code))
            .isInstanceOfSatisfying(WorkerCrashedException.class,
                e -> assertThat(e.exitCode()).hasValue(code));
      }
      Await.until(() -> stats(t).state() == SupervisionStats.State.FAILED, "the handle fails");
      assertThatThrownBy(c::pid).isInstanceOfSatisfying(WorkerFailedException.class,
              e -> assertThat(e.history()).extracting(SupervisionStats.Event::kind)
                  .containsSubsequence(Kind.STARTED, Kind.CRASHED, Kind.STARTED, Kind.CRASHED,
                      Kind.STARTED, Kind.CRASHED, Kind.GAVE_UP))
          .hasMessageContaining("more than 2 restarts within PT1M")
          .hasMessageContaining("exit code 12");
      SupervisionStats s = stats(t);
      assertThat(s.restarts()).isEqualTo(2);
      assertThat(s.crashes()).isEqualTo(3);
      assertThat(t.isOpen()).isFalse();
      assertThat(t.worker()).isEmpty();
    }
  }

  @Test
  void shutdownLetsPendingCallsFinishAndRefusesNewOnes() throws Exception {
    Tether t = launch(FAST.build());
    CrashService c = t.get(CrashService.class, "crash");
    ProcessHandle worker = t.worker().orElseThrow();
    CompletableFuture<Long> running = CompletableFuture.supplyAsync(() -> c.block(500));
    Await.until(() -> t.pendingCalls() == 1, "a call is pending");
    t.shutdown();
    assertThatThrownBy(c::pid).isInstanceOf(ConnectionClosedException.class)
        .hasMessageContaining("shut down");
    assertThat(running.get(30, TimeUnit.SECONDS)).isEqualTo(worker.pid());
    assertThat(t.awaitTermination(Duration.ofSeconds(30))).isTrue();
    assertThat(worker.isAlive()).isFalse();
    assertThat(stats(t).state()).isEqualTo(SupervisionStats.State.TERMINATED);
    t.close();
  }

  @Test
  void shutdownNowFailsPendingCallsAndStopsTheWorker() throws Exception {
    Tether t = launch(FAST.build());
    CrashService c = t.get(CrashService.class, "crash");
    ProcessHandle worker = t.worker().orElseThrow();
    CompletableFuture<Long> running = CompletableFuture.supplyAsync(() -> c.block(60_000));
    Await.until(() -> t.pendingCalls() == 1, "a call is pending");
    t.shutdownNow();
    assertThatThrownBy(() -> running.join()).hasCauseInstanceOf(ConnectionClosedException.class);
    assertThat(t.awaitTermination(Duration.ofSeconds(30))).isTrue();
    assertThat(worker.isAlive()).isFalse();
    assertThat(t.isTerminated()).isTrue();
  }

  @Test
  void requestedRestartFailsPendingCallsAndTheHandleGoesOn() throws Exception {
    try (Tether t = launch(FAST.build())) {
      CrashService c = t.get(CrashService.class, "crash");
      long pid = c.pid();
      CompletableFuture<Long> running = CompletableFuture.supplyAsync(() -> c.block(60_000));
      Await.until(() -> t.pendingCalls() == 1, "a call is pending");
      t.restartWorker("recycling after the test's quota");
      assertThatThrownBy(() -> running.join())
          .cause().isInstanceOfSatisfying(WorkerRestartedException.class,
              e -> assertThat(e.reason()).isEqualTo(WorkerRestartedException.Reason.REQUESTED))
          .hasMessageContaining("recycling after the test's quota");
      assertThat(c.pid()).isNotEqualTo(pid);
    }
  }

  @Test
  void closingWhileAReplacementStartsLeavesNoWorkerBehind() throws Exception {
    Tether t = launch(SupervisionPolicy.builder().backoff(Duration.ZERO, Duration.ZERO).build());
    CrashService c = t.get(CrashService.class, "crash");
    assertThatThrownBy(() -> c.crash(7, "bye")).isInstanceOf(WorkerCrashedException.class);
    t.close(); // the replacement is starting now, or about to
    assertThat(t.awaitTermination(Duration.ofSeconds(60))).isTrue();
    Await.until(() -> ProcessHandle.current().children().noneMatch(ProcessHandle::isAlive),
        "no worker process is left");
    assertThat(stats(t).state()).isEqualTo(SupervisionStats.State.TERMINATED);
    assertThatThrownBy(c::pid).isInstanceOf(ConnectionClosedException.class);
  }

  static void signal(String name, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
  }
}
