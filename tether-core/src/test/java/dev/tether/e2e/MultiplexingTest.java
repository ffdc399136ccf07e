package dev.tether.e2e;

import dev.tether.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.CallCancelledException;
import dev.tether.CancelResult;
import dev.tether.Cancellation;
import dev.tether.Tether;
import dev.tether.fixtures.EchoService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 300, unit = TimeUnit.SECONDS)
class MultiplexingTest {
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

  @Test
  void sixtyFourThreadsTimesTwoThousandCallsAllGetTheirOwnResults() throws Exception {
    int threads = 64;
    int calls = 2000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      CountDownLatch start = new CountDownLatch(1);
      for (int t = 0; t < threads; t++) {
        int base = t * 1_000_000;
        results.add(pool.submit(() -> {
          start.await();
          int mismatches = 0;
          for (int i = 0; i < calls; i++) {
            if (echo.echo(base + i) != base + i) {
              mismatches++;
            }
          }
          return mismatches;
        }));
      }
      start.countDown();
      for (Future<Integer> f : results) {
        assertThat(f.get(240, TimeUnit.SECONDS)).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(worker.pendingCalls()).isZero();
  }

  @Test
  void aBlockedCallDoesNotDelayOthersOnTheSameConnection() throws Exception {
    AtomicReference<Thread> slowThread = new AtomicReference<>();
    CompletableFuture<Throwable> slow = new CompletableFuture<>();
    Thread t = Thread.ofPlatform().start(() -> {
      slowThread.set(Thread.currentThread());
      try (var c = Cancellation.enable()) {
        echo.awaitCancel(TimeUnit.MINUTES.toMillis(5));
        slow.complete(null);
      } catch (Throwable e) {
        slow.complete(e);
      }
    });
    awaitPending(t);
    for (int i = 0; i < 200; i++) {
      assertThat(echo.echo(i)).isEqualTo(i);
    }
    assertThat(slow).isNotDone();
    assertThat(Cancellation.cancel(t, Duration.ofSeconds(30))).isEqualTo(CancelResult.ACKNOWLEDGED);
    assertThat(slow.get(30, TimeUnit.SECONDS)).isInstanceOf(CallCancelledException.class);
  }

  /** Waits, bounded, until {@code t} has a call pending. */
  static void awaitPending(Thread t) throws InterruptedException {
    Await.until(() -> Cancellation.pendingCall(t).isPresent(), "a call pending on " + t);
  }
}
