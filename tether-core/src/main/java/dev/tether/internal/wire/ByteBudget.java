package dev.tether.internal.wire;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A count of buffered bytes against a limit, optionally inside a parent budget (a connection's
 * budget inside its server's). A reader asks {@link #tryAcquire} before it allocates a frame
 * body; when that fails it does not allocate, stops reading and {@link #awaitRelease waits}: the
 * peer's writes then block in TCP (backpressure). Accounting costs one or two atomic adds.
 *
 * <p>An acquisition is granted when the budget is empty, whatever its size, so one frame larger
 * than the limit can never wedge a reader; limits are meant to be at least the frame limit.
 *
 * <p>A reader waits on the budget that refused it ({@link #acquireOrBlocker}): a release wakes
 * only the readers waiting on a budget it gives bytes back to. With one shared monitor, every
 * call's release woke every blocked reader of the server: a client that stopped reading kept its
 * reader blocked on its own budget, and each healthy call on other connections woke it for
 * nothing (tens of thousands of wake-ups a second, the attack benchmark's never-reads).
 *
 * <p>Thread safety: safe for use by many threads.
 */
public final class ByteBudget {
  private final long limit;
  private final ByteBudget parent;
  private final AtomicLong used = new AtomicLong();
  private final AtomicInteger waiters = new AtomicInteger();
  private final Object monitor = new Object();

  private ByteBudget(long limit, ByteBudget parent) {
    if (limit < 1) {
      throw new IllegalArgumentException("budget must be positive: " + limit);
    }
    this.limit = limit;
    this.parent = parent;
  }

  /** A budget of {@code limit} bytes with no parent (a server's). */
  public static ByteBudget root(long limit) {
    return new ByteBudget(limit, null);
  }

  /** A budget of {@code limit} bytes inside this one (a connection's inside its server's). */
  public ByteBudget child(long limit) {
    return new ByteBudget(limit, this);
  }

  /** Bytes counted now. */
  public long used() {
    return used.get();
  }

  /** The limit in bytes. */
  public long limit() {
    return limit;
  }

  /** True while this budget, not counting its parent, is at or over its limit. */
  public boolean exhausted() {
    return used.get() >= limit;
  }

  /**
   * Counts {@code bytes} here and in the parent if both have room (or were empty); else counts
   * nothing and returns false.
   */
  public boolean tryAcquire(long bytes) {
    return tryAcquire(bytes, false);
  }

  /**
   * Like {@link #tryAcquire(long)}; with {@code overParent}, only this budget may refuse: the
   * parent counts the bytes even beyond its limit. For small frames, whose number the server
   * bounds otherwise (each is held only by a running call), so that large frames of other
   * connections filling the server's budget cannot stop a client's small calls.
   */
  public boolean tryAcquire(long bytes, boolean overParent) {
    return acquireOrBlocker(bytes, overParent) == null;
  }

  /**
   * Like {@link #tryAcquire(long, boolean)}, but says who refused: null when the bytes are
   * counted, else this budget or its parent, whichever had no room; wait on that one.
   */
  public ByteBudget acquireOrBlocker(long bytes, boolean overParent) {
    if (!tryLocal(bytes)) {
      return this;
    }
    if (parent != null && overParent) {
      parent.charge(bytes);
    } else if (parent != null && !parent.tryAcquire(bytes)) {
      used.addAndGet(-bytes); // nobody can have waited for bytes that were never free
      return parent;
    }
    return null;
  }

  private boolean tryLocal(long bytes) {
    long after = used.addAndGet(bytes);
    if (after > limit && after != bytes) {
      used.addAndGet(-bytes);
      return false;
    }
    return true;
  }

  /** Counts {@code bytes} here and in the parent even beyond the limits (decoded arguments). */
  public void charge(long bytes) {
    used.addAndGet(bytes);
    if (parent != null) {
      parent.charge(bytes);
    }
  }

  /** Gives back what {@link #tryAcquire} or {@link #charge} counted. */
  public void release(long bytes) {
    if (bytes == 0) {
      return;
    }
    used.addAndGet(-bytes);
    wakeWaiters();
    if (parent != null) {
      parent.release(bytes);
    }
  }

  /**
   * Counts {@code bytes} here only, never in the parent, even beyond the limit: results waiting
   * to be written, which must stop this connection's reader but not the server's others.
   */
  public void chargeLocal(long bytes) {
    used.addAndGet(bytes);
  }

  /** Gives back what {@link #chargeLocal} counted. */
  public void releaseLocal(long bytes) {
    used.addAndGet(-bytes);
    wakeWaiters();
  }

  private void wakeWaiters() {
    if (waiters.get() > 0) {
      synchronized (monitor) {
        monitor.notifyAll();
      }
    }
  }

  /**
   * Waits until this budget releases bytes (here or in a child of it), at most
   * {@code timeoutNanos}. May return early; callers retry. Keeps the interrupt flag.
   */
  public void awaitRelease(long timeoutNanos) {
    waiters.incrementAndGet();
    try {
      synchronized (monitor) {
        TimeUnit.NANOSECONDS.timedWait(monitor, timeoutNanos);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      waiters.decrementAndGet();
    }
  }
}
