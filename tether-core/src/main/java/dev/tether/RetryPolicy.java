package dev.tether;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * What a caller does when the server refuses a call as busy (COM's
 * {@code IMessageFilter.RetryRejectedCall}): how many attempts, how long to wait between them,
 * and how many retries the handle may spend. Only calls that never ran are retried automatically
 * (refused before dispatch as busy); a method marked {@link Idempotent} is also retried after a
 * dispatched attempt failed without an answer (connection lost, worker crashed or restarted). A
 * rejection ({@link ErrorCode#REJECTED}) and a method's own exception are never retried.
 *
 * <p>The wait before retry {@code n} (1, 2, …) is {@code initialBackoff * multiplier^(n-1)},
 * capped at {@code maxBackoff}, less a random share of up to {@code jitter} of it (so callers
 * refused together do not come back together), and at least the server's retry-after hint. An
 * attempt that would start after the call's deadline is not made; a {@link CancelScope} or a
 * deadline covers all attempts together, and cancelling a call that waits to retry ends it at
 * once as never sent.
 *
 * <p>The retry budget keeps retries from amplifying an outage: each call deposits
 * {@code budgetRatio} of a retry (at most 10 retries' worth are kept), each retry withdraws one,
 * and {@code minRetriesPerSecond} more are allowed every second whatever the deposits (the
 * floor, so a quiet handle can still retry). Past the policy the call fails with
 * {@link ServerBusyException}. The budget is kept per handle connection.
 *
 * <p>Set per handle with {@link TetherOptions#withRetryPolicy(RetryPolicy)} and per method with
 * {@link TetherOptions#withRetryPolicy(Class, String, RetryPolicy)}. Immutable and thread-safe
 * (the random source must be thread-safe too).
 */
public final class RetryPolicy {
  private static final RetryPolicy NONE = new RetryPolicy(1, Duration.ofMillis(10),
      Duration.ofSeconds(1), 2.0, 0.5, 0.1, 10, null);
  private static final RetryPolicy DEFAULTS = NONE.withMaxAttempts(4);

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final double multiplier;
  private final double jitter;
  private final double budgetRatio;
  private final int minRetriesPerSecond;
  private final DoubleSupplier random; // null: ThreadLocalRandom

  private RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff,
      double multiplier, double jitter, double budgetRatio, int minRetriesPerSecond,
      DoubleSupplier random) {
    this.maxAttempts = maxAttempts;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.multiplier = multiplier;
    this.jitter = jitter;
    this.budgetRatio = budgetRatio;
    this.minRetriesPerSecond = minRetriesPerSecond;
    this.random = random;
  }

  /** No retries: a busy refusal fails the call at once (the default of every handle). */
  public static RetryPolicy none() {
    return NONE;
  }

  /**
   * 4 attempts, backoff from 10 ms doubling up to 1 s with 50 % jitter, a budget of 10 % of
   * calls plus 10 retries a second.
   */
  public static RetryPolicy defaults() {
    return DEFAULTS;
  }

  /** At most {@code attempts} attempts in all (1: no retries). */
  public RetryPolicy withMaxAttempts(int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1: " + attempts);
    }
    return new RetryPolicy(attempts, initialBackoff, maxBackoff, multiplier, jitter, budgetRatio,
        minRetriesPerSecond, random);
  }

  /**
   * Exponential backoff: the first retry waits about {@code initial}, each later one
   * {@code multiplier} times longer, never more than {@code max}.
   */
  public RetryPolicy withBackoff(Duration initial, Duration max, double multiplier) {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    if (initial.isNegative() || max.compareTo(initial) < 0 || !(multiplier >= 1.0)) {
      throw new IllegalArgumentException("backoff needs 0 <= initial <= max and multiplier >= 1: "
          + initial + ", " + max + ", " + multiplier);
    }
    return new RetryPolicy(maxAttempts, initial, max, multiplier, jitter, budgetRatio,
        minRetriesPerSecond, random);
  }

  /** The share of each wait that is random, 0 (none) to 1 (anywhere from 0 to the full wait). */
  public RetryPolicy withJitter(double jitter) {
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("jitter must be between 0 and 1: " + jitter);
    }
    return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, multiplier, jitter,
        budgetRatio, minRetriesPerSecond, random);
  }

  /**
   * The retry budget: retries may be at most {@code ratio} of calls (0 to 1), plus
   * {@code minRetriesPerSecond} a second. A ratio of 1 with a large floor effectively disables it.
   */
  public RetryPolicy withBudget(double ratio, int minRetriesPerSecond) {
    if (!(ratio >= 0 && ratio <= 1) || minRetriesPerSecond < 0) {
      throw new IllegalArgumentException("budget needs 0 <= ratio <= 1 and minRetriesPerSecond"
          + " >= 0: " + ratio + ", " + minRetriesPerSecond);
    }
    return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, multiplier, jitter, ratio,
        minRetriesPerSecond, random);
  }

  /** The source of jitter: uniform values in [0, 1). For tests; default a thread-local random. */
  public RetryPolicy withRandom(DoubleSupplier random) {
    return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, multiplier, jitter,
        budgetRatio, minRetriesPerSecond, Objects.requireNonNull(random, "random"));
  }

  /** At most this many attempts in all. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** Retries as a share of calls that the budget allows. */
  public double budgetRatio() {
    return budgetRatio;
  }

  /** Retries a second that the budget allows whatever the share. */
  public int minRetriesPerSecond() {
    return minRetriesPerSecond;
  }

  /**
   * The wait before retry {@code retry} (1 for the first retry), jitter applied, in nanoseconds;
   * the server's retry-after hint is applied by the caller.
   */
  public long backoffNanos(int retry) {
    double base = initialBackoff.toNanos() * Math.pow(multiplier, Math.max(0, retry - 1));
    base = Math.min(base, maxBackoff.toNanos());
    double r = random == null ? ThreadLocalRandom.current().nextDouble() : random.getAsDouble();
    return (long) (base * (1 - jitter * r));
  }

  @Override
  public String toString() {
    return "RetryPolicy[maxAttempts=" + maxAttempts + ", backoff=" + initialBackoff + ".."
        + maxBackoff + " x" + multiplier + ", jitter=" + jitter + ", budget=" + budgetRatio
        + " of calls + " + minRetriesPerSecond + "/s]";
  }
}
