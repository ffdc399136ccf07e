package dev.tether.internal.client;

import dev.tether.PendingCallInfo;
import dev.tether.PendingCallWatch;
import dev.tether.internal.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Calls the {@link PendingCallWatch}es of one pending call: a timer per watch (the clock's timer
 * thread only re-arms it and hands the invocation to {@code threads}, a virtual thread each in
 * production, so the listener never runs on the timer, a reader or the caller), at most one
 * invocation per watch at a time (a tick that finds the previous invocation still running is
 * skipped), and none started once {@link #stop()} ran: the invocation checks under the same lock
 * that {@code stop} takes. What a listener throws is logged and ignored. Thread-safe.
 */
final class PendingWatcher {
  private static final System.Logger LOG = System.getLogger("dev.tether");
  /** Production listener threads: one virtual thread per invocation. */
  static final Executor VIRTUAL = r -> Thread.ofVirtual().name("tether-pending-listener").start(r);

  private final Clock clock;
  private final Executor threads;
  private final PendingCallInfo info;
  private final Object lock = new Object();
  private final List<Tick> ticks = new ArrayList<>(2);
  private final AtomicInteger skipped = new AtomicInteger();
  private boolean stopped; // guarded by lock

  private PendingWatcher(Clock clock, Executor threads, PendingCallInfo info) {
    this.clock = clock;
    this.threads = threads;
    this.info = info;
  }

  /** Starts watching the call {@code info} describes with {@code watches}. */
  static PendingWatcher start(Clock clock, Executor threads, List<PendingCallWatch> watches,
      PendingCallInfo info) {
    PendingWatcher w = new PendingWatcher(clock, threads, info);
    synchronized (w.lock) {
      for (PendingCallWatch watch : watches) {
        Tick t = w.new Tick(watch);
        w.ticks.add(t);
        t.timer = clock.schedule(t, watch.firstAfter().toNanos());
      }
    }
    return w;
  }

  /** The call ended: no invocation starts from now on, and the timers are cancelled. */
  void stop() {
    List<Clock.Timer> timers = new ArrayList<>(ticks.size());
    synchronized (lock) {
      stopped = true;
      for (Tick t : ticks) {
        timers.add(t.timer);
      }
    }
    timers.forEach(Clock.Timer::cancel);
  }

  /** Ticks skipped because the previous invocation of their listener was still running. */
  int skippedTicks() {
    return skipped.get();
  }

  /** One watch's timer. */
  private final class Tick implements Runnable {
    private final PendingCallWatch watch;
    private final AtomicBoolean running = new AtomicBoolean();
    private Clock.Timer timer; // guarded by lock

    Tick(PendingCallWatch watch) {
      this.watch = watch;
    }

    /** On the timer thread: re-arms, and hands an invocation to a listener thread. */
    @Override
    public void run() {
      synchronized (lock) {
        if (stopped) {
          return;
        }
        timer = clock.schedule(this, watch.interval().toNanos());
      }
      if (!running.compareAndSet(false, true)) {
        skipped.incrementAndGet();
        return;
      }
      try {
        threads.execute(this::invoke);
      } catch (RejectedExecutionException | OutOfMemoryError e) {
        running.set(false); // no thread now: the next tick tries again
      }
    }

    private void invoke() {
      try {
        synchronized (lock) {
          if (stopped) {
            return;
          }
        }
        watch.listener().stillPending(info);
      } catch (RuntimeException | Error e) {
        LOG.log(System.Logger.Level.WARNING, "pending-call listener failed on " + info, e);
      } finally {
        running.set(false);
      }
    }
  }
}
