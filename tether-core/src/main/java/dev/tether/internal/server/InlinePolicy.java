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
 * method earns inlining with {@value #CREDIT_NEEDED} recent runs of at most 100 µs and loses it
 * with a slower run ({@link History#record} has the details: a slow run is as likely the
 * machine's doing, a preempted thread or a GC pause, as the method's, so a lone one in a long
 * fast streak is forgiven), or with a run its call's cancel ended (how long that took was the
 * cancel's doing, and inline the cancel cannot be read: {@link History#endedByCancel});
 * asynchronous and interrupt-on-cancel methods never run inline (a reader thread must never be
 * interrupted); and while calls run inline, a watchdog ticking every
 * 2 ms gives a reader stuck in one for longer a replacement thread (the stuck one leaves the loop
 * when its call ends) and takes the method's credit; if that run lasts 20 ms, the method is barred
 * for a long while. A tick that comes late (the timer thread was held up too: the JVM paused or
 * the machine is overloaded) judges nobody, and the next ticks count a run's time only from then
 * on. So a call that suddenly hangs delays its connection by a few milliseconds at most. The
 * watchdog stops itself after 100 ms without inline calls, so an idle server does not tick.
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
  /** A tick this much later than the one before it found the watchdog itself held up. */
  static final long LATE_NANOS = LIMIT_NANOS + LIMIT_NANOS / 2;
  /** What a slower run costs a method with full credit. */
  private static final int SLOW_COST = MAX_CREDIT / 2;
  /** What a slower run costs a method that is not inlined. */
  private static final int HANDED_OFF_SLOW_COST = 8;
  /** A taken-over run this long was the method's doing: barred for a long while. */
  static final long HUNG_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  private static final int BARRED = -64 * MAX_CREDIT;

  /** A connection's reader, as the watchdog sees it. */
  interface Reader {
    /**
     * Starts a replacement reader if this one has been running an inline call since before
     * {@code now - limitNanos} ({@link Long#MAX_VALUE}: nobody is stuck), and bars that call's
     * method from inlining. Returns whether the reader is running an inline call at all.
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

    /**
     * Records one run that took {@code nanos}: a fast one adds a credit; a slow one takes them
     * all, except that it only halves a full credit (one slow run in a long fast streak) and costs
     * a method that is not inlined anyway {@value #HANDED_OFF_SLOW_COST} (its runs start on a
     * call thread right after a wake-up, and on a loaded machine such runs are slow a few percent
     * of the time whatever the method).
     */
    void record(long nanos) {
      int c = (int) CREDIT.getOpaque(this);
      if (nanos <= FAST_NANOS) {
        if (c < MAX_CREDIT) {
          CREDIT.setRelease(this, c + 1);
        }
      } else if (c > -MAX_CREDIT) {
        CREDIT.setRelease(this, c >= MAX_CREDIT ? MAX_CREDIT - SLOW_COST
            : c >= CREDIT_NEEDED ? -MAX_CREDIT : Math.max(-MAX_CREDIT, c - HANDED_OFF_SLOW_COST));
      }
    }

    /**
     * Records one run that ended after its call was cancelled: a slow run whatever it took. A
     * method that runs until its cancel (polling {@code isCancelled}, waiting for the caller to
     * give up) ends as soon as a reader has read the CANCEL, so its runs look fast; inline, the
     * reader that would read the CANCEL is the one running it, and only the watchdog's take-over
     * lets the cancel through, milliseconds later.
     */
    void endedByCancel() {
      record(Long.MAX_VALUE);
    }

    /**
     * An inline run of this method got its reader replaced: not inlined until it earns it back.
     * A preempted reader looks the same to the watchdog as a method that hangs; which it was
     * shows when the run ends ({@link #hung}).
     */
    void stuck() {
      int c = (int) CREDIT.getOpaque(this);
      if (c > -MAX_CREDIT) {
        CREDIT.setVolatile(this, -MAX_CREDIT);
      }
    }

    /**
     * A run the watchdog took its reader from lasted {@link #HUNG_NANOS} or more: the method's
     * doing, whatever the machine: no inlining for a long while.
     */
    void hung() {
      CREDIT.setVolatile(this, BARRED);
    }

    boolean earned() {
      return (int) CREDIT.getOpaque(this) >= CREDIT_NEEDED;
    }
  }

  private final Iterable<? extends Reader> readers;
  private final BooleanSupplier stopped;
  private final Clock clock;
  private final AtomicBoolean watching = new AtomicBoolean();
  private volatile long lastInlineNanos;
  private volatile ScheduledFuture<?> watchdog;
  /**
   * The watchdog's own clock readings, written by its ticks (and by {@link #started} before it
   * schedules them). A race between a stopping and a restarting watchdog can make one tick look
   * late or not: it then judges nobody for a tick, or judges one tick early, as a heuristic may.
   */
  private volatile long lastTickNanos;
  private volatile long stallEndNanos;

  /**
   * A policy whose watchdog looks after {@code readers} until {@code stopped} says so, with time
   * from {@code clock}.
   */
  InlinePolicy(Iterable<? extends Reader> readers, BooleanSupplier stopped, Clock clock) {
    this.readers = readers;
    this.stopped = stopped;
    this.clock = clock;
    this.lastTickNanos = clock.nanoTime();
    this.stallEndNanos = lastTickNanos - LIMIT_NANOS; // no stall seen: judge from the start
  }

  /** Whether a call of {@code method} may run inline on the reader thread that read it. */
  static boolean mayInline(ServedMethod method) {
    return method.inline().earned() && !method.interruptOnCancel() && !method.codec().isAsync()
        && !method.codec().hasStreams(); // a reader blocked in a stream read could not feed it
  }

  /** A reader thread starts running a call inline: make sure the watchdog is looking. */
  void started() {
    long now = clock.nanoTime();
    lastInlineNanos = now;
    if (!watching.get() && watching.compareAndSet(false, true)) {
      lastTickNanos = now; // the first tick is not late: it starts from here
      watchdog = Timers.scheduleAtFixedRate(this::watch, LIMIT_NANOS);
    }
  }

  /**
   * The watchdog's look at the readers at {@code now}: a reader is stuck after
   * {@link #LIMIT_NANOS} in one inline call, counted from the end of the last stall the
   * watchdog saw (a tick later than {@link #LATE_NANOS}; that tick itself judges nobody). Returns
   * whether any reader runs an inline call.
   */
  boolean judge(long now) {
    if (now - lastTickNanos > LATE_NANOS) {
      stallEndNanos = now;
    }
    lastTickNanos = now;
    long limit = now - stallEndNanos < LIMIT_NANOS ? Long.MAX_VALUE : LIMIT_NANOS;
    boolean busy = false;
    for (Reader r : readers) {
      busy |= r.takeOverIfStuck(now, limit);
    }
    return busy;
  }

  /** One watchdog tick, on the timer thread: rescues stuck readers; stops when idle. */
  private void watch() {
    long now = clock.nanoTime();
    boolean busy = judge(now);
    boolean stop = stopped.getAsBoolean();
    if (!busy && now - lastInlineNanos > IDLE_NANOS || stop) {
      ScheduledFuture<?> w = watchdog;
      watching.set(false);
      if (w != null) {
        w.cancel(false);
      }
      if (clock.nanoTime() - lastInlineNanos < LIMIT_NANOS && !stop) {
        started(); // an inline call began while stopping: keep watching
      }
    }
  }
}
