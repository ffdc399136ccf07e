package dev.tether.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MeasureThroughputTest {
  /**
   * A quick run's window is a few hundred milliseconds; on a loaded CI machine the first call can
   * take longer (CI saw 0 ops/s). The structure check must still see a completed call, and a
   * call that never completes must still show as none.
   */
  @Test
  void aQuickRunWaitsForItsFirstCallToCompleteBeyondItsWindow() throws Exception {
    BenchPlan plan = new BenchPlan(true, 10, 0, 0, 1, 10, 1);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch slowStart = new CountDownLatch(1);
    Thread releaser = Thread.ofPlatform().start(() -> {
      try {
        started.await();
        Thread.sleep(300); // far past the 1 ms window: the first call ends only then
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      slowStart.countDown();
    });
    double[] r = Measure.throughput(plan, 2, () -> {
      started.countDown();
      slowStart.await();
    });
    releaser.join();
    assertThat(r[1]).as("calls counted").isPositive();
    assertThat(r[0]).as("calls per second").isPositive();
  }
}
