package dev.tether.internal.server;

import dev.tether.ConcurrencyLimit;
import dev.tether.internal.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A concurrency limit as the server enforces it: a permit per call in flight, taken on the reader
 * before the call is dispatched and given back when it finishes, with the call's latency. Built-in
 * and non-blocking, so it may run on a connection's reader thread. Thread-safe.
 */
abstract class Limiter {
  private final AtomicInteger inFlight = new AtomicInteger();

  /** The limiter for {@code limit}, timing calls by {@code clock}. */
  static Limiter of(ConcurrencyLimit limit, Clock clock) {
    return limit.isAdaptive()
        ? new AdaptiveLimiter(clock, limit.initial(), limit.min(), limit.max(),
            AdaptiveLimiter.WINDOW_NANOS, AdaptiveLimiter.MIN_SAMPLES)
        : new FixedLimiter(limit.max());
  }

  /** Takes a permit if fewer than {@link #limit()} calls are in flight; never blocks. */
  final boolean tryAcquire() {
    int n;
    do {
      n = inFlight.get();
      if (n >= limit()) {
        return false;
      }
    } while (!inFlight.compareAndSet(n, n + 1));
    return true;
  }

  /**
   * Gives a permit back. {@code sample}: the call ran to its answer, so its latency says something
   * about the server's load (refused calls and orphans are not samples).
   */
  final void release(long latencyNanos, boolean sample) {
    int before = inFlight.getAndDecrement();
    if (sample) {
      sampled(latencyNanos, before);
    }
  }

  /** Calls holding a permit now. */
  final int inFlight() {
    return inFlight.get();
  }

  /** The current limit. */
  abstract int limit();

  /** A call that had {@code inFlight} calls in flight (itself included) took {@code nanos}. */
  abstract void sampled(long nanos, int inFlight);

  /** A limit that never changes. */
  static final class FixedLimiter extends Limiter {
    private final int limit;

    FixedLimiter(int limit) {
      this.limit = limit;
    }

    @Override
    int limit() {
      return limit;
    }

    @Override
    void sampled(long nanos, int inFlight) {}
  }
}
