package dev.tether.testing;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Bounded waits for conditions that no latch can signal, because they change in another process
 * (a worker's counters) or inside Tether (a call becoming pending). Fails after the bound.
 */
public final class Await {
  private Await() {}

  /** Polls {@code condition} (spinning, then every millisecond) until true, at most 30 s. */
  public static void until(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    int spins = 0;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 30 s: " + what);
      }
      if (++spins < 1000) {
        Thread.onSpinWait();
      } else {
        Thread.sleep(1);
      }
    }
  }
}
