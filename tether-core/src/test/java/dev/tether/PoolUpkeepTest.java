package dev.tether;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tether.fixtures.PoolProbe;
import dev.tether.fixtures.PoolProbeAsync;
import dev.tether.pool.PoolWorkers;
import dev.tether.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool's upkeep with a fake clock: idle workers above the minimum close, a worker idle long
 * enough is checked before reuse (a stopped one is replaced), and a worker busy with a call its
 * caller gave up on is never handed out, until it answers or is replaced. In package
 * {@code dev.tether} for the pool's clock seam.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PoolUpkeepTest {
  final AtomicLong now = new AtomicLong(1_000_000_000L);

  @TempDir
  Path dir;

  private TetherPool start(PoolSpec.Builder spec) {
    return TetherPool.start(spec.build(), now::get);
  }

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  private static void awaitGone(long pid) throws InterruptedException {
    Await.until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true),
        "process " + pid + " gone");
  }

  @Test
  void idleWorkersAboveTheMinimumCloseAfterTheIdleTimeout() throws Exception {
    try (TetherPool pool = start(PoolWorkers.pool().minWorkers(1).maxWorkers(2)
        .idleTimeout(Duration.ofSeconds(60)).healthCheckAfterIdle(Duration.ofHours(1)))) {
      PoolProbe probe = pool.get(PoolProbe.class, "probe");
      PoolProbeAsync async = pool.get(PoolProbeAsync.class, "probe");
      CompletableFuture<Long> held = async.block(60_000);
      long second = probe.pid(); // the first worker is busy: the pool grows for this call
      assertThat(Cancellation.cancel(held, Duration.ofSeconds(10)))
          .isEqualTo(CancelResult.ACKNOWLEDGED);
      assertThat(pool.stats().workers()).isEqualTo(2);

      advance(Duration.ofSeconds(59));
      pool.runUpkeep();
      assertThat(pool.stats().workers()).isEqualTo(2);

      advance(Duration.ofSeconds(2));
      pool.runUpkeep();
      assertThat(pool.stats().workers()).isEqualTo(1);
      assertThat(pool.stats().idleClosed()).isEqualTo(1);

      advance(Duration.ofMinutes(10));
      pool.runUpkeep();
      assertThat(pool.stats().workers()).isEqualTo(1); // the minimum stays
      assertThat(probe.echo("still serving")).isEqualTo("still serving");
      assertThat(second).isPositive();
    }
  }

  @Test
  void aWorkerIdlePastTheCheckAgeThatDoesNotAnswerIsReplacedBeforeTheCallUsesIt()
      throws Exception {
    // A long connect timeout (it also bounds resolving an object): the check must not need it.
    WorkerSpec worker = WorkerSpec.builder().name("pool-worker")
        .export("probe", PoolProbe.class, PoolProbe.Impl.class)
        .jvmArgs(PoolWorkers.worker().jvmArgs().toArray(String[]::new))
        .startTimeout(Duration.ofSeconds(60)).shutdownTimeout(Duration.ofSeconds(1))
        .forwardOutput(false)
        .options(TetherOptions.defaults().withConnectTimeout(Duration.ofSeconds(60)))
        .build();
    try (TetherPool pool = start(PoolSpec.builder(worker).minWorkers(1).maxWorkers(1)
        .healthCheckAfterIdle(Duration.ofSeconds(10))
        .healthCheckTimeout(Duration.ofMillis(500)))) {
      PoolProbe probe = pool.get(PoolProbe.class, "probe");
      long stopped = probe.pid();
      assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(stopped)).start()
          .waitFor()).isZero();

      advance(Duration.ofSeconds(11));
      long t0 = System.nanoTime();
      CompletableFuture<Long> call = CompletableFuture.supplyAsync(probe::pid);
      Await.until(() -> pool.stats().failed() == 1, "the stopped worker fails its check");
      long checkMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      long replacement = call.get(60, TimeUnit.SECONDS);

      assertThat(checkMs).isLessThan(10_000); // 500 ms check, far from the 60 s connect timeout
      assertThat(replacement).isNotEqualTo(stopped);
      assertThat(pool.stats().failed()).isEqualTo(1);
      assertThat(pool.stats().workers()).isEqualTo(1);
      awaitGone(stopped); // closed: terminated, then killed (a stopped process ignores SIGTERM)
    }
  }

  @Test
  void aWorkerBusyWithAnAbandonedCallIsNotHandedOutUntilItAnswersOrIsReplaced()
      throws Exception {
    try (TetherPool pool = start(PoolWorkers.pool().minWorkers(2).maxWorkers(2)
        .hungTimeout(Duration.ofSeconds(30)).healthCheckAfterIdle(Duration.ofHours(1)))) {
      PoolProbe probe = pool.get(PoolProbe.class, "probe");

      // 1. abandoned, then answers: busy until the pool learns that it answered
      long hung = abandonStubbornCall(pool, probe, "first");
      for (int i = 0; i < 20; i++) {
        assertThat(probe.pid()).isNotEqualTo(hung);
      }
      pool.runUpkeep();
      assertThat(pool.stats().unansweredCalls()).isEqualTo(1);
      Files.createFile(dir.resolve("first.release"));
      Await.until(() -> pool.stats().unansweredCalls() == 0, "the answer is noticed");
      assertThat(pool.stats().busyWorkers()).isZero();
      assertThat(pool.stats().recycled()).isZero();

      // 2. abandoned and never answers: replaced after the hung timeout
      long hungForGood = abandonStubbornCall(pool, probe, "second");
      advance(Duration.ofSeconds(29));
      pool.runUpkeep();
      assertThat(pool.stats().starting()).isZero();
      advance(Duration.ofSeconds(2));
      pool.runUpkeep();
      Await.until(() -> pool.stats().recycled() == 1, "the hung worker replaced");
      awaitGone(hungForGood);
      assertThat(pool.stats().workers()).isEqualTo(2);
      assertThat(pool.stats().unansweredCalls()).isZero();
      for (int i = 0; i < 20; i++) {
        assertThat(probe.pid()).isNotEqualTo(hungForGood);
      }
    }
  }

  /** Makes a call that ignores cancellation and gives up on it; returns the pid of its worker. */
  private long abandonStubbornCall(TetherPool pool, PoolProbe probe, String name)
      throws Exception {
    Path pidFile = dir.resolve(name + ".pid");
    Throwable t = catchThrowable(() -> {
      try (CancelScope s = CancelScope.builder().timeout(Duration.ofMillis(300))
          .grace(Duration.ZERO).open()) {
        probe.stubborn(pidFile.toString(), dir.resolve(name + ".release").toString());
      }
    });
    assertThat(t).isInstanceOf(DeadlineExceededException.class);
    assertThat(((DeadlineExceededException) t).forced()).isTrue();
    Await.until(() -> Files.exists(pidFile), "the stubborn call started");
    assertThat(pool.stats().unansweredCalls()).isEqualTo(1);
    assertThat(pool.stats().busyWorkers()).isEqualTo(1);
    return Long.parseLong(Files.readString(pidFile));
  }
}
