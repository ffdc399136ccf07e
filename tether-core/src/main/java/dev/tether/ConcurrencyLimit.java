package dev.tether;

/**
 * The server's built-in load shedding ({@link TetherServer.Builder#concurrencyLimit}): at most a
 * limit of calls in flight at once; a call beyond it is refused at once as busy
 * ({@link ErrorCode#SERVER_BUSY}, nothing of it runs, the caller's {@link RetryPolicy} may retry),
 * so a loaded server sheds load instead of queueing without bound. Tether checks it on the
 * connection's reader before any thread or decoding is spent (it is Tether's own, non-blocking
 * code, unlike an {@link IncomingCallFilter}). The admin object is never limited.
 *
 * <p>{@link #fixed(int)} keeps one limit. {@link #adaptive()} follows latency, in the spirit of
 * TCP congestion control and Netflix's concurrency-limits (Gradient): it tracks the latency of
 * calls with no queueing (the lowest recent window average, slowly forgotten) and, each window,
 * moves the limit toward {@code limit * min(1, tolerance * noLoad / current) + sqrt(limit)}: while
 * latency stays within the tolerance of the no-load latency the limit grows by about its square
 * root; when calls queue up and latency rises beyond it the limit shrinks (by at most half per
 * window), smoothed. It never grows while fewer than half the allowed calls are in flight. Immutable.
 */
public final class ConcurrencyLimit {
  private final boolean adaptive;
  private final int initial;
  private final int min;
  private final int max;

  private ConcurrencyLimit(boolean adaptive, int initial, int min, int max) {
    this.adaptive = adaptive;
    this.initial = initial;
    this.min = min;
    this.max = max;
  }

  /** At most {@code max} calls in flight (at least 1). */
  public static ConcurrencyLimit fixed(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("a concurrency limit must be at least 1: " + max);
    }
    return new ConcurrencyLimit(false, max, max, max);
  }

  /** An adaptive limit starting at 20, between 4 and 1000. */
  public static ConcurrencyLimit adaptive() {
    return adaptive(20, 4, 1000);
  }

  /**
   * An adaptive limit starting at {@code initial}, kept between {@code min} and {@code max}.
   *
   * @throws IllegalArgumentException unless {@code 1 <= min <= initial <= max}
   */
  public static ConcurrencyLimit adaptive(int initial, int min, int max) {
    if (min < 1 || initial < min || max < initial) {
      throw new IllegalArgumentException("an adaptive limit needs 1 <= min <= initial <= max: "
          + min + ", " + initial + ", " + max);
    }
    return new ConcurrencyLimit(true, initial, min, max);
  }

  /** Whether the limit follows latency. */
  public boolean isAdaptive() {
    return adaptive;
  }

  /** The starting limit (the limit, when fixed). */
  public int initial() {
    return initial;
  }

  /** The lowest the limit goes. */
  public int min() {
    return min;
  }

  /** The highest the limit goes. */
  public int max() {
    return max;
  }

  @Override
  public String toString() {
    return adaptive ? "adaptive concurrency limit " + initial + " in [" + min + ", " + max + "]"
        : "fixed concurrency limit " + max;
  }
}
