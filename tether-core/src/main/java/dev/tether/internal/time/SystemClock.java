package dev.tether.internal.time;

import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The real {@link Clock}, and the home of the runtime's one timer thread ({@code tether-timer}): a
 * daemon that exists only while timers are pending (it stops after 10 s idle).
 */
public final class SystemClock implements Clock {
  static final SystemClock INSTANCE = new SystemClock();

  private static final ScheduledThreadPoolExecutor EXECUTOR = create();

  static {
    // The first virtual thread of a JVM sets up their scheduler, which takes milliseconds; timer
    // tasks hop to virtual threads, so do it now rather than when the first deadline passes.
    Thread.ofVirtual().name("tether-warm-up").start(() -> { });
  }

  private SystemClock() {}

  private static ScheduledThreadPoolExecutor create() {
    ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "tether-timer");
      t.setDaemon(true);
      return t;
    });
    e.setRemoveOnCancelPolicy(true);
    e.setKeepAliveTime(10, TimeUnit.SECONDS);
    e.allowCoreThreadTimeOut(true);
    return e;
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Instant now() {
    return Instant.now();
  }

  @Override
  public Timer schedule(Runnable task, long delayNanos) {
    ScheduledFuture<?> f = scheduleFuture(task, delayNanos);
    return () -> f.cancel(false);
  }

  /** {@link #schedule} for code that wants the executor's future. */
  public static ScheduledFuture<?> scheduleFuture(Runnable task, long delayNanos) {
    return EXECUTOR.schedule(guarded(task), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
  }

  /** Runs {@code task} every {@code periodNanos} on the timer thread until the future is cancelled. */
  public static ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long periodNanos) {
    return EXECUTOR.scheduleAtFixedRate(guarded(task), periodNanos, periodNanos,
        TimeUnit.NANOSECONDS);
  }

  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (Throwable t) {
        System.getLogger("dev.tether").log(System.Logger.Level.WARNING, "timer task failed", t);
      }
    };
  }
}
