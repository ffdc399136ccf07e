package dev.tether.internal.client;

import dev.tether.internal.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket that bounds retries (in the spirit of Finagle's {@code RetryBudget} and gRPC's
 * retry throttling): every call deposits {@code ratio} of a token, every retry withdraws a whole
 * one, and a reserve refilled at {@code minPerSecond} tokens a second (holding at most one
 * second's worth) lets a quiet client retry whatever its deposits. Deposits are capped at
 * {@link #MAX_BALANCE} tokens, so a long healthy spell cannot bank an unbounded storm. Thread-safe:
 * deposits are one CAS loop on the call path; withdrawals (retries only) take a lock for the
 * reserve.
 */
final class RetryBudget {
  private static final long MILLI = 1000;
  /** Most tokens deposits can hold. */
  static final long MAX_BALANCE = 10;

  private final long depositMilli;
  private final long minPerSecond;
  private final Clock clock;
  private final AtomicLong balanceMilli = new AtomicLong();
  // Guarded by this.
  private long reserveMilli;
  private long reserveAt;

  RetryBudget(double ratio, int minPerSecond, Clock clock) {
    this.depositMilli = Math.round(ratio * MILLI);
    this.minPerSecond = minPerSecond;
    this.clock = clock;
    this.reserveMilli = minPerSecond * MILLI;
    this.reserveAt = clock.nanoTime();
  }

  /** A call was made: deposits its share of a retry. */
  void deposit() {
    if (depositMilli > 0) {
      balanceMilli.getAndUpdate(b -> Math.min(MAX_BALANCE * MILLI, b + depositMilli));
    }
  }

  /** Takes one retry's token; false when the budget is spent. */
  boolean tryWithdraw() {
    long b;
    while ((b = balanceMilli.get()) >= MILLI) {
      if (balanceMilli.compareAndSet(b, b - MILLI)) {
        return true;
      }
    }
    if (minPerSecond == 0) {
      return false;
    }
    synchronized (this) {
      long now = clock.nanoTime();
      long elapsed = Math.min(now - reserveAt, TimeUnit.SECONDS.toNanos(1));
      reserveAt = now;
      long refill = elapsed * minPerSecond * MILLI / TimeUnit.SECONDS.toNanos(1);
      reserveMilli = Math.min(minPerSecond * MILLI, reserveMilli + refill);
      if (reserveMilli >= MILLI) {
        reserveMilli -= MILLI;
        return true;
      }
      return false;
    }
  }
}
