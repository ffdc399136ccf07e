package dev.tether.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.ConnectionClosedException;
import dev.tether.PoolStats;
import dev.tether.TetherPool;
import dev.tether.fixtures.PoolProbe;
import dev.tether.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Sixteen callers on a pool that grows and recycles its workers under them. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PoolRecyclingTest {
  static final int CALLERS = 16;
  static final int PER_WORKER = 3;

  @Test
  void recyclingUnderSixteenCallersLosesNoCallAndNeverExceedsTheCallsPerWorker()
      throws Exception {
    TetherPool pool = TetherPool.start(PoolWorkers.pool().minWorkers(1).maxWorkers(2)
        .maxCallsPerWorker(PER_WORKER).recycleAfterCalls(150).build());
    PoolProbe probe = pool.get(PoolProbe.class, "probe");
    Set<Long> pids = ConcurrentHashMap.newKeySet();
    AtomicInteger mostAtOnce = new AtomicInteger();
    AtomicInteger calls = new AtomicInteger();
    ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> wrong = new ArrayList<>();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      for (int t = 0; t < CALLERS; t++) {
        int caller = t;
        wrong.add(callers.submit(() -> {
          go.await();
          int mismatches = 0;
          for (int i = 0; i < 60 || (pool.stats().recycled() < 2 && System.nanoTime() < until);
              i++) {
            switch (i % 4) {
              case 0 -> mostAtOnce.accumulateAndGet(probe.hold(2), Math::max);
              case 1 -> pids.add(probe.pid());
              default -> {
                String sent = caller + ":" + i;
                if (!probe.echo(sent).equals(sent)) {
                  mismatches++;
                }
              }
            }
            calls.incrementAndGet();
          }
          return mismatches;
        }));
      }
      go.countDown();
      for (Future<Integer> f : wrong) {
        assertThat(f.get(180, TimeUnit.SECONDS)).isZero(); // no call failed or got another's answer
      }
    } finally {
      callers.shutdownNow();
    }
    PoolStats stats = pool.stats();
    assertThat(stats.recycled()).isGreaterThanOrEqualTo(2);
    assertThat(stats.started()).isGreaterThanOrEqualTo(3);
    assertThat(stats.failed()).isZero();
    assertThat(mostAtOnce.get()).isBetween(1, PER_WORKER); // counted inside each worker
    assertThat(pids.size()).isGreaterThanOrEqualTo(3);
    assertThat(calls.get()).isGreaterThanOrEqualTo(CALLERS * 60);

    pool.shutdown();
    assertThat(pool.isShutdown()).isTrue();
    assertThatThrownBy(() -> probe.echo("after shutdown"))
        .isInstanceOf(ConnectionClosedException.class).hasMessageContaining("is shut down");
    assertThat(pool.awaitTermination(Duration.ofSeconds(60))).isTrue();
    assertThat(pool.isTerminated()).isTrue();
    assertThat(pool.stats().workers()).isZero();
    for (long pid : pids) {
      Await.until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true),
          "worker " + pid + " gone");
    }
    pool.close();
  }
}
