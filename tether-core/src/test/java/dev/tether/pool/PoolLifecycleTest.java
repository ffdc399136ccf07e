package dev.tether.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tether.ConnectionClosedException;
import dev.tether.TetherPool;
import dev.tether.WorkerCrashedException;
import dev.tether.fixtures.PoolProbe;
import dev.tether.fixtures.PoolProbeAsync;
import dev.tether.testing.Await;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Shutting a pool down, gently and at once, and workers that die under it. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PoolLifecycleTest {
  private static TetherPool oneSlot() {
    return TetherPool.start(PoolWorkers.pool().minWorkers(1).maxWorkers(1).build());
  }

  private static long pidOf(TetherPool pool) {
    return pool.get(PoolProbe.class, "probe").pid();
  }

  private static void awaitGone(long pid) throws InterruptedException {
    Await.until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true),
        "process " + pid + " gone");
  }

  @Test
  void shutdownRefusesNewCallsButFinishesRunningAndWaitingOnesThenClosesTheWorkers()
      throws Exception {
    try (TetherPool pool = oneSlot()) {
      PoolProbe probe = pool.get(PoolProbe.class, "probe");
      long pid = probe.pid();
      CompletableFuture<Long> running = pool.get(PoolProbeAsync.class, "probe").block(1_000);
      Await.until(() -> pool.stats().busyWorkers() == 1, "the worker busy");
      CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> probe.echo("in"));
      Await.until(() -> pool.stats().waiting() == 1, "a caller waiting");

      pool.shutdown();

      assertThat(pool.isShutdown()).isTrue();
      assertThatThrownBy(() -> probe.echo("late")).isInstanceOf(ConnectionClosedException.class)
          .hasMessageContaining("pool 'test-pool'").hasMessageContaining("is shut down");
      assertThat(running.get(30, TimeUnit.SECONDS)).isEqualTo(pid); // ran to its end
      assertThat(waiting.get(30, TimeUnit.SECONDS)).isEqualTo("in"); // was already waiting
      assertThat(pool.awaitTermination(Duration.ofSeconds(30))).isTrue();
      assertThat(pool.isTerminated()).isTrue();
      awaitGone(pid);
    }
  }

  @Test
  void shutdownNowFailsRunningAndWaitingCallsAndClosesTheWorkersAtOnce() throws Exception {
    try (TetherPool pool = oneSlot()) {
      PoolProbe probe = pool.get(PoolProbe.class, "probe");
      long pid = probe.pid();
      CompletableFuture<Long> running = pool.get(PoolProbeAsync.class, "probe").block(60_000);
      Await.until(() -> pool.stats().busyWorkers() == 1, "the worker busy");
      CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> probe.echo("in"));
      Await.until(() -> pool.stats().waiting() == 1, "a caller waiting");

      pool.shutdownNow();

      Throwable waited = catchThrowable(() -> waiting.get(30, TimeUnit.SECONDS));
      assertThat(waited).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(ConnectionClosedException.class)
          .hasMessageContaining("was shut down now");
      Throwable ran = catchThrowable(() -> running.get(30, TimeUnit.SECONDS));
      assertThat(ran).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(ConnectionClosedException.class);
      assertThat(pool.awaitTermination(Duration.ofSeconds(30))).isTrue();
      awaitGone(pid);
    }
  }

  @Test
  void aWorkerThatDiesLeavesThePoolAndTheNextCallsGoToANewOne() throws Exception {
    try (TetherPool pool = oneSlot()) {
      PoolProbe probe = pool.get(PoolProbe.class, "probe");
      long first = probe.pid();

      // killed mid-call: the call fails as with one worker, the worker leaves the pool
      CompletableFuture<Long> running = pool.get(PoolProbeAsync.class, "probe").block(60_000);
      Await.until(() -> pool.stats().busyWorkers() == 1, "the worker busy");
      ProcessHandle.of(first).orElseThrow().destroyForcibly();
      Throwable t = catchThrowable(() -> running.get(30, TimeUnit.SECONDS));
      assertThat(t).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(WorkerCrashedException.class);
      long second = probe.pid(); // a new worker is started for this call
      assertThat(second).isNotEqualTo(first);

      // killed while idle: found dead before it is handed out, and the minimum restored
      ProcessHandle.of(second).orElseThrow().destroyForcibly();
      awaitGone(second);
      Await.until(() -> pool.stats().failed() == 2, "the upkeep notices the death");
      long third = probe.pid();
      assertThat(third).isNotEqualTo(second);
      assertThat(pool.stats().failed()).isEqualTo(2);
      assertThat(pool.stats().workers()).isEqualTo(1);
    }
  }
}
