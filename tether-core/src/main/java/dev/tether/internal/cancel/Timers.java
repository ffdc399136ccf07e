package dev.tether.internal.cancel;

import dev.tether.internal.time.SystemClock;
import java.util.concurrent.ScheduledFuture;

/**
 * The one timer thread of the runtime (it lives in {@link SystemClock}): handshake timeouts,
 * liveness pings and the inline watchdog. Deadlines and forced releases go through a
 * {@link dev.tether.internal.time.Clock} instead, which tests can replace; new code should too.
 * Tasks must be short and never block.
 */
public final class Timers {
  private Timers() {}

  /** Runs {@code task} every {@code periodNanos} until the returned future is cancelled. */
  public static ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long periodNanos) {
    return SystemClock.scheduleAtFixedRate(task, periodNanos);
  }

  /** Runs {@code task} after {@code delayNanos}; cancel the returned future to forget it. */
  public static ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
    return SystemClock.scheduleFuture(task, delayNanos);
  }
}
