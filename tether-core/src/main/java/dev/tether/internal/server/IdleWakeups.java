package dev.tether.internal.server;

import dev.tether.internal.cancel.Timers;
import dev.tether.internal.time.Clock;
import dev.tether.internal.transport.Link;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Lets connection readers wait for their next frame without a timeout, and still park their
 * connections when idle: a sweep on the timer thread, every {@value #PERIOD_MILLIS} ms while any
 * reader waits this way, wakes each reader whose park time has passed; that reader then finds no
 * frame and parks as it would have after a timed wait.
 *
 * <p>Why: a reader's wait with a timeout costs more than one without (measured, issue 14's
 * spin-off pass: the spin-off round trip 3-14 % slower with the server's reader waiting up to its
 * 1 s park time than untimed, in rotating blocks); the kernel arms and cancels a timer for every
 * timed wait, and the JDK's selector reads the clock around it. The blocking raw floor waits in a
 * read with no timeout. The price: a connection parks up to one sweep period later than its park
 * time.
 *
 * <p>The sweep stops when no reader waits untimed (an idle server, every connection parked, does
 * not tick) and the next waiting reader starts it again. Thread-safe: readers mark themselves
 * through their {@link Slot}, the timer thread sweeps.
 */
final class IdleWakeups {
  static final long PERIOD_MILLIS = 250;
  private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(PERIOD_MILLIS);
  /** The timeout that asks a link for an untimed wait ({@link Link#awaitReadable}). */
  static final long UNTIMED = Long.MAX_VALUE;

  /** Something that has a reader which may wait untimed: a connection. */
  interface Waiter {
    /** The reader's slot; always the same one. */
    Slot idleSlot();
  }

  /** One reader's untimed wait, as the sweep sees it. */
  static final class Slot {
    private final Link link;
    private long parkAt; // written before waiting, read after it: published by that volatile
    private volatile boolean waiting;

    /** The slot of the reader of {@code link}. */
    Slot(Link link) {
      this.link = link;
    }

    /** Whether the reader is marked as waiting untimed. */
    boolean waiting() {
      return waiting;
    }

    /** The reader no longer waits untimed. Reader thread only. */
    void done() {
      if (waiting) {
        waiting = false;
      }
    }

    /**
     * Wakes the reader if it waits untimed and its park time has passed at {@code now}. Returns
     * whether it waits untimed at all.
     */
    boolean wakeIfDue(long now) {
      if (!waiting) {
        return false;
      }
      if (now - parkAt >= 0) {
        link.wakeupReader();
      }
      return true;
    }
  }

  private final Iterable<? extends Waiter> waiters;
  private final BooleanSupplier stopped;
  private final Clock clock;
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile ScheduledFuture<?> sweep;

  /**
   * Wakeups for the readers of {@code waiters}, swept until {@code stopped} says so, at the time
   * of {@code clock}.
   */
  IdleWakeups(Iterable<? extends Waiter> waiters, BooleanSupplier stopped, Clock clock) {
    this.waiters = waiters;
    this.stopped = stopped;
    this.clock = clock;
  }

  /**
   * The reader of {@code slot} is about to wait for a frame and should park its connection at
   * {@code parkAt} (a {@link Clock#nanoTime} instant): marks it and makes sure the sweep runs.
   * Returns the timeout to wait with: {@link #UNTIMED}. The reader calls {@link Slot#done} when
   * it stops waiting. Reader thread only.
   */
  long untimed(Slot slot, long parkAt) {
    slot.parkAt = parkAt;
    slot.waiting = true; // before looking at running: a stopping sweep then sees this reader
    if (!running.get()) {
      start();
    }
    return UNTIMED;
  }

  private void start() {
    if (running.compareAndSet(false, true)) {
      sweep = Timers.scheduleAtFixedRate(this::tick, PERIOD_NANOS);
    }
  }

  /** Wakes every reader whose park time passed at {@code now}; returns whether any waits. */
  boolean sweep(long now) {
    boolean any = false;
    for (Waiter w : waiters) {
      any |= w.idleSlot().wakeIfDue(now);
    }
    return any;
  }

  /** True while the sweep is scheduled. */
  boolean running() {
    return running.get();
  }

  /** One sweep on the timer thread; stops when nobody waits untimed or the server closed. */
  private void tick() {
    boolean stop = stopped.getAsBoolean();
    if (sweep(clock.nanoTime()) && !stop) {
      return;
    }
    ScheduledFuture<?> s = sweep;
    running.set(false);
    if (s != null) {
      s.cancel(false);
    }
    if (!stop && anyWaiting()) {
      start(); // a reader began waiting while the sweep stopped: it must not be missed
    }
  }

  private boolean anyWaiting() {
    for (Waiter w : waiters) {
      if (w.idleSlot().waiting()) {
        return true;
      }
    }
    return false;
  }
}
