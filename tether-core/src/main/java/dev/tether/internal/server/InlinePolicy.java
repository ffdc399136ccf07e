package dev.tether.internal.server;

import dev.tether.internal.cancel.Timers;
import dev.tether.internal.time.Clock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Decides which calls run inline on their connection's reader thread, and rescues a reader when
 * that was a mistake. The whole heuristic lives here.
 *
 * <p>Why inline at all: handing a call to another thread wakes a sleeping thread and core, which
 * on these machines costs more than the transport itself (DESIGN.md, performance notes), so a call
 * that will be quick is cheapest run right where its frame was read. The risk is a method that is
 * quick until it is not: while it runs, its connection reads nothing, not even a CANCEL. Hence: a
 * method earns inlining with {@value #CREDIT_NEEDED} recent runs of at most 100 µs; one slower run
 * takes the credit away; asynchronous and interrupt-on-cancel methods never run inline (a reader
 * thread must never be interrupted); and while calls run inline, a watchdog ticking every 2 ms
 * gives a reader stuck in one for longer a replacement thread (the stuck one leaves the loop when
 * its call ends) and bars that method from inlining for a long while. So a call that suddenly
 * hangs delays its connection by a few milliseconds at most. The watchdog stops itself after
 * 100 ms without inline calls, so an idle server does not tick.
 *
 * <p>Thread-safe. The per-method {@link History} is racy on purpose: it is a heuristic, not a
 * count.
 */
final class InlinePolicy {
  /** Runs of at most this long count as fast. */
  static final long FAST_NANOS = 100_000;
  /** Fast runs needed before a method runs inline. */
  static final int CREDIT_NEEDED = 16;
  private static final int MAX_CREDIT = 64;
  /** A reader running one inline call for longer than this gets a replacement; the watchdog tick. */
  static final long LIMIT_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /** A connection's reader, as the watchdog sees it. */
  interface Reader {
    /**
     * Starts a replacement reader if this one has been running an inline call since before
     * {@code now - limitNanos}, and bars that call's method from inlining. Returns whether the
     * reader is running an inline call at all.
     */
    boolean takeOverIfStuck(long now, long limitNanos);
  }

  /** How fast one method has been lately. */
  static final class History {
    private static final VarHandle CREDIT;

    static {
      try {
        CREDIT = MethodHandles.lookup().findVarHandle(History.class, "credit", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    @SuppressWarnings("unused") // through CREDIT
    private int credit;

    /** Records one run that took {@code nanos}. */
    void record(long nanos) {
      int c = (int) CREDIT.getOpaque(this);
      if (nanos <= FAST_NANOS) {
        if (c < MAX_CREDIT) {
          CREDIT.setRelease(this, c + 1);
        }
      } else if (c > -MAX_CREDIT) {
        CREDIT.setRelease(this, -MAX_CREDIT);
      }
    }

    /** An inline run of this method got its reader replaced: no inlining for a long while. */
    void stuck() {
      CREDIT.setVolatile(this, -64 * MAX_CREDIT);
    }

    boolean earned() {
      return (int) CREDIT.getOpaque(this) >= CREDIT_NEEDED;
    }
  }

  private final Iterable<? extends Reader> readers;
  private final BooleanSupplier stopped;
  private final AtomicBoolean watching = new AtomicBoolean();
  private volatile long lastInlineNanos;
  private volatile ScheduledFuture<?> watchdog;

  /** A policy whose watchdog looks after {@code readers} until {@code stopped} says so. */
  InlinePolicy(Iterable<? extends Reader> readers, BooleanSupplier stopped) {
    this.readers = readers;
    this.stopped = stopped;
  }

  /** Whether a call of {@code method} may run inline on the reader thread that read it. */
  static boolean mayInline(ServedMethod method) {
    return method.inline().earned() && !method.interruptOnCancel() && !method.codec().isAsync()
        && !method.codec().hasStreams(); // a reader blocked in a stream read could not feed it
  }

  /** A reader thread starts running a call inline: make sure the watchdog is looking. */
  void started() {
    lastInlineNanos = Clock.system().nanoTime();
    if (!watching.get() && watching.compareAndSet(false, true)) {
      watchdog = Timers.scheduleAtFixedRate(this::watch, LIMIT_NANOS);
    }
  }

  /** One watchdog tick, on the timer thread: rescues stuck readers; stops when idle. */
  private void watch() {
    long now = Clock.system().nanoTime();
    boolean busy = false;
    for (Reader r : readers) {
      busy |= r.takeOverIfStuck(now, LIMIT_NANOS);
    }
    boolean stop = stopped.getAsBoolean();
    if (!busy && now - lastInlineNanos > IDLE_NANOS || stop) {
      ScheduledFuture<?> w = watchdog;
      watching.set(false);
      if (w != null) {
        w.cancel(false);
      }
      if (Clock.system().nanoTime() - lastInlineNanos < LIMIT_NANOS && !stop) {
        started(); // an inline call began while stopping: keep watching
      }
    }
  }
}
