package dev.tether.internal.supervise;

import java.util.ArrayDeque;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * The restart intensity of Erlang/OTP supervisors (at most {@code maxRestarts} restarts within
 * {@code period}) and the backoff before each restart (exponential in the number of restarts
 * still inside the period, with equal jitter). Times come from a clock tests can replace. Not
 * thread-safe: the supervisor calls it under its lock.
 */
final class RestartIntensity {
  private final int maxRestarts;
  private final long periodNanos;
  private final long initialBackoffNanos;
  private final long maxBackoffNanos;
  private final LongSupplier clock;
  private final RandomGenerator random;
  private final ArrayDeque<Long> restarts = new ArrayDeque<>();

  RestartIntensity(int maxRestarts, long periodNanos, long initialBackoffNanos,
      long maxBackoffNanos, LongSupplier clock, RandomGenerator random) {
    this.maxRestarts = maxRestarts;
    this.periodNanos = periodNanos;
    this.initialBackoffNanos = initialBackoffNanos;
    this.maxBackoffNanos = maxBackoffNanos;
    this.clock = clock;
    this.random = random;
  }

  /**
   * Records a restart now if the intensity allows one more, and returns the backoff to wait
   * before it in nanoseconds; returns -1 when it does not (the supervisor must give up).
   */
  long tryRestart() {
    long now = clock.getAsLong();
    while (!restarts.isEmpty() && now - restarts.peekFirst() >= periodNanos) {
      restarts.removeFirst();
    }
    if (restarts.size() >= maxRestarts) {
      return -1;
    }
    int recent = restarts.size();
    restarts.addLast(now);
    return backoff(recent);
  }

  /** Restarts inside the period now. */
  int recent() {
    return restarts.size();
  }

  /** Equal jitter: between half and all of min(max, initial * 2^recent). */
  private long backoff(int recent) {
    if (initialBackoffNanos == 0) {
      return 0;
    }
    long d = initialBackoffNanos;
    for (int i = 0; i < recent && d < maxBackoffNanos; i++) {
      d = d > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : d * 2;
    }
    d = Math.min(d, maxBackoffNanos);
    long half = d / 2;
    return half + (half == 0 ? 0 : random.nextLong(d - half + 1));
  }
}
