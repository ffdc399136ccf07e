package dev.tether.internal.server;

import dev.tether.internal.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * A concurrency limit that follows latency (see {@link dev.tether.ConcurrencyLimit#adaptive()}
 * for the rule). Latencies are averaged per window (at least {@code windowNanos} of the clock and
 * {@code minSamples} samples); at the end of each window:
 *
 * <pre>
 *   noLoad   = min(avg, noLoad * (1 + FORGET))        (a stale minimum fades, 1 % a window)
 *   gradient = clamp(TOLERANCE * noLoad / avg, 0.5, 1)
 *   target   = limit * gradient + sqrt(limit)      (not above limit while under half of it is used)
 *   limit    = clamp(limit * (1 - SMOOTHING) + target * SMOOTHING, min, max)
 * </pre>
 *
 * <p>Why so: Little's law makes the useful concurrency throughput times no-load latency; calls
 * beyond it only queue, which shows as latency above the no-load one. The square root lets the
 * limit probe upward quickly when small and gently when large (as Netflix's Gradient limiter
 * does); the tolerance lets latency vary by 2x before the limit shrinks; the floor of 0.5 and the
 * smoothing keep one bad window from collapsing it. Thread-safe: samples are added under a lock
 * held for a few arithmetic operations; the limit itself is a volatile read.
 */
final class AdaptiveLimiter extends Limiter {
  static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  static final int MIN_SAMPLES = 10;
  static final double TOLERANCE = 2.0;
  static final double SMOOTHING = 0.2;
  static final double FORGET = 0.01;

  private final Clock clock;
  private final int min;
  private final int max;
  private final long windowNanos;
  private final int minSamples;
  private volatile int limit;
  // Guarded by this.
  private double estimate;
  private double noLoadNanos;
  private long windowStart;
  private long sum;
  private int count;
  private int maxInFlight;

  AdaptiveLimiter(Clock clock, int initial, int min, int max, long windowNanos, int minSamples) {
    this.clock = clock;
    this.min = min;
    this.max = max;
    this.windowNanos = windowNanos;
    this.minSamples = minSamples;
    this.limit = initial;
    this.estimate = initial;
    this.windowStart = clock.nanoTime();
  }

  @Override
  int limit() {
    return limit;
  }

  @Override
  void sampled(long nanos, int inFlight) {
    long now = clock.nanoTime();
    synchronized (this) {
      sum += nanos;
      count++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      if (count < minSamples || now - windowStart < windowNanos) {
        return;
      }
      update((double) sum / count, maxInFlight);
      windowStart = now;
      sum = 0;
      count = 0;
      maxInFlight = 0;
    }
  }

  /** The latency the limiter takes for an unloaded server now, in nanoseconds (for tests). */
  synchronized double noLoadNanos() {
    return noLoadNanos;
  }

  /** The unrounded limit (for tests). */
  synchronized double estimate() {
    return estimate;
  }

  private void update(double avg, int used) {
    noLoadNanos = noLoadNanos == 0 ? avg : Math.min(avg, noLoadNanos * (1 + FORGET));
    double gradient = Math.max(0.5, Math.min(1.0, TOLERANCE * noLoadNanos / avg));
    double target = estimate * gradient + Math.sqrt(estimate);
    if (used < estimate / 2) {
      target = Math.min(target, estimate); // too few calls to know whether more would help
    }
    estimate = Math.max(min, Math.min(max, estimate * (1 - SMOOTHING) + target * SMOOTHING));
    limit = (int) estimate;
  }
}
