package dev.tether.internal.cancel;

import java.time.Duration;
import java.util.Objects;

/** Conversions between grace periods and nanoseconds, where {@link #FOREVER} means unbounded. */
public final class Grace {
  /** Nanosecond value meaning "no bound". */
  public static final long FOREVER = Long.MAX_VALUE;

  /** Durations at or above this are treated as unbounded (about 146 years). */
  private static final Duration UNBOUNDED_FROM = Duration.ofNanos(Long.MAX_VALUE / 2);

  private Grace() {}

  /** Nanoseconds of a grace period; {@link #FOREVER} for a huge duration. Rejects negatives. */
  public static long toNanos(Duration grace) {
    Objects.requireNonNull(grace, "grace");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative: " + grace);
    }
    return grace.compareTo(UNBOUNDED_FROM) >= 0 ? FOREVER : grace.toNanos();
  }

  /** {@code now + nanos}, saturating at {@link #FOREVER}. */
  public static long deadlineAfter(long now, long nanos) {
    if (nanos == FOREVER) {
      return FOREVER;
    }
    long t = now + nanos;
    return t - now < 0 ? FOREVER : t; // overflow
  }

  /** Human-readable form of a nanosecond grace, for messages. */
  public static String describe(long nanos) {
    return nanos == FOREVER ? "unbounded" : Duration.ofNanos(nanos).toString();
  }
}
