package dev.tether.internal.cancel;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one timer thread of the runtime: deadlines of scopes and served calls, handshake timeouts,
 * forced release of asynchronous calls. A daemon thread that holds no locks while idle; tasks must
 * be short and never block.
 */
public final class Timers {
  private static final ScheduledThreadPoolExecutor EXECUTOR = create();

  static {
    // The first virtual thread of a JVM sets up their scheduler, which takes milliseconds; timer
    // tasks hop to virtual threads, so do it now rather than when the first deadline passes.
    Thread.ofVirtual().name("tether-warm-up").start(() -> { });
  }

  private Timers() {}

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

  /** Runs {@code task} every {@code periodNanos} until the returned future is cancelled. */
  public static ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long periodNanos) {
    return EXECUTOR.scheduleAtFixedRate(() -> {
      try {
        task.run();
      } catch (Throwable t) {
        System.getLogger("dev.tether").log(System.Logger.Level.WARNING, "timer task failed", t);
      }
    }, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
  }

  /** Runs {@code task} after {@code delayNanos}; cancel the returned future to forget it. */
  public static ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
    return EXECUTOR.schedule(() -> {
      try {
        task.run();
      } catch (Throwable t) {
        System.getLogger("dev.tether").log(System.Logger.Level.WARNING, "timer task failed", t);
      }
    }, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
  }
}
