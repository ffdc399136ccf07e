package dev.tether.internal.time;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A debt of units (bytes, failed connections) that drains at a fixed rate: the "leaky bucket" that
 * makes refused work cost whoever causes it. Work that was refused adds units; while the debt is
 * above the allowance, whoever asks is told to hold off, and for how long. The debt never exceeds
 * the allowance plus a cap, so a hold-off is bounded however much refused work piles up.
 *
 * <p>The debt is kept as the time at which it will have drained, so checks write nothing and no
 * rounding accumulates however often they are made.
 *
 * <p>Thread safety: safe for use by many threads; lock-free.
 */
public final class DrainingDebt {
  private static final long SECOND = 1_000_000_000L;
  private final Clock clock;
  private final long allowanceNanos;
  private final long capNanos;
  private final long drainPerSecond;
  private final AtomicLong clearAt; // when the debt will be zero, by the clock

  /**
   * A debt that is within bounds up to {@code allowance} units, drains {@code drainPerSecond}
   * units a second, and never exceeds the allowance plus {@code maxHoldNanos} of draining. Units
   * and rate at most 2^32.
   *
   * @throws IllegalArgumentException for a negative allowance or hold, or a rate below 1
   */
  public DrainingDebt(long allowance, long drainPerSecond, long maxHoldNanos, Clock clock) {
    if (allowance < 0 || allowance > 1L << 32 || drainPerSecond < 1
        || drainPerSecond > 1L << 32 || maxHoldNanos < 0) {
      throw new IllegalArgumentException("allowance " + allowance + ", rate " + drainPerSecond
          + ", hold " + maxHoldNanos);
    }
    this.clock = clock;
    this.drainPerSecond = drainPerSecond;
    this.allowanceNanos = allowance * SECOND / drainPerSecond;
    this.capNanos = allowanceNanos + maxHoldNanos;
    this.clearAt = new AtomicLong(clock.nanoTime());
  }

  /** Adds {@code units} of refused work (negative counts as none). */
  public void add(long units) {
    long cost = cost(units);
    long now = clock.nanoTime();
    clearAt.getAndUpdate(t -> plus(t, now, cost));
  }

  /**
   * Adds {@code units} only if the debt is within the allowance now, atomically: of many threads
   * that find it within, each add is seen by the next check, so they cannot all pass at once when
   * a hold ends. Returns whether it added.
   */
  public boolean tryAdd(long units) {
    long cost = cost(units);
    while (true) {
      long t = clearAt.get();
      long now = clock.nanoTime();
      if (t - now > allowanceNanos) {
        return false;
      }
      if (clearAt.compareAndSet(t, plus(t, now, cost))) {
        return true;
      }
    }
  }

  /** Takes back {@code units} added before (never below zero debt). */
  public void remove(long units) {
    long cost = cost(units);
    long now = clock.nanoTime();
    clearAt.getAndUpdate(t -> Math.max(now, t - cost));
  }

  /** Whether there is any debt now. */
  public boolean isClear() {
    return clearAt.get() - clock.nanoTime() <= 0;
  }

  /** When a debt clearing at {@code t} clears once {@code cost} more is added, capped. */
  private long plus(long t, long now, long cost) {
    return now + Math.min(capNanos, Math.max(0, t - now) + cost);
  }

  private long cost(long units) {
    return Math.min(capNanos, Math.max(0, Math.min(units, 1L << 32)) * SECOND / drainPerSecond);
  }

  /** Whether the debt is within the allowance now. */
  public boolean withinAllowance() {
    return clearAt.get() - clock.nanoTime() <= allowanceNanos;
  }

  /** How long until the debt is within the allowance, if nothing is added; 0 when it is now. */
  public long nanosUntilWithinAllowance() {
    return Math.max(0, clearAt.get() - clock.nanoTime() - allowanceNanos);
  }

  /** The debt now, in units. */
  public long debt() {
    long left = clearAt.get() - clock.nanoTime();
    return left <= 0 ? 0 : left * drainPerSecond / SECOND;
  }
}
