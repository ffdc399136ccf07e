package dev.tether.internal.time;

import java.time.Instant;

/**
 * The runtime's source of time and of timers: a monotonic nanosecond counter, the wall clock (only
 * to show a {@link Deadline} as an {@link Instant}), and one-shot timers that fire by it. Production
 * code uses {@link #system()}; tests substitute a fake clock that they advance by hand, so deadline
 * machinery can be tested without waiting in real time. Implementations are thread-safe.
 */
public interface Clock {
  /** A timer armed by {@link #schedule}. */
  interface Timer {
    /** Stops the timer if it has not fired yet. Idempotent; never blocks. */
    void cancel();
  }

  /** A monotonic reading in nanoseconds, like {@link System#nanoTime()}: only differences mean anything. */
  long nanoTime();

  /** The wall-clock time now. */
  Instant now();

  /**
   * Runs {@code task} once, {@code delayNanos} after now (at once for zero or less), on the
   * clock's timer thread (for a fake clock, the thread that advances it). Tasks must be short and
   * never block, and must not run user code: hop to a virtual thread for anything else.
   */
  Timer schedule(Runnable task, long delayNanos);

  /** The real clock: {@link System#nanoTime()}, {@link Instant#now()} and the one timer thread. */
  static Clock system() {
    return SystemClock.INSTANCE;
  }
}
