package dev.tether.internal.time;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An absolute point in time on a {@link Clock}, by which something must be done. Immutable and
 * thread-safe. "No deadline" is never a value of this class: code that may have none holds a
 * null or an {@code Optional}.
 *
 * <p>Overflow-safe: the distance from now is clamped to about 100 years either way, and deadlines
 * are compared by the difference of their readings, so a clock reading near {@code Long.MAX_VALUE}
 * wraps harmlessly (as {@link System#nanoTime()} may).
 *
 * <p>{@link #toInstant()} is computed once and then always returns the same instant: two reads
 * of the same deadline agree.
 */
public final class Deadline implements Comparable<Deadline> {
  /** Largest distance from now a deadline can have: about 100 years. */
  static final long MAX_OFFSET_NANOS = Duration.ofDays(100 * 365L).toNanos();

  private static final VarHandle INSTANT;

  static {
    try {
      INSTANT = MethodHandles.lookup().findVarHandle(Deadline.class, "instant", Instant.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Clock clock;
  private final long nanos; // the clock's reading at the deadline
  @SuppressWarnings("unused") // through INSTANT
  private volatile Instant instant;

  private Deadline(Clock clock, long nanos, Instant instant) {
    this.clock = clock;
    this.nanos = nanos;
    this.instant = instant;
  }

  /** The deadline {@code offsetNanos} from now on {@code clock} (negative: already passed). */
  public static Deadline after(long offsetNanos, Clock clock) {
    Objects.requireNonNull(clock, "clock");
    long offset = Math.max(-MAX_OFFSET_NANOS, Math.min(MAX_OFFSET_NANOS, offsetNanos));
    return new Deadline(clock, clock.nanoTime() + offset, null);
  }

  /** The deadline {@code timeout} from now on {@code clock}; a huge timeout is clamped. */
  public static Deadline after(Duration timeout, Clock clock) {
    Objects.requireNonNull(timeout, "timeout");
    return after(saturatedNanos(timeout), clock);
  }

  /**
   * The deadline at wall-clock {@code instant}, measured from now on {@code clock}'s monotonic
   * counter (so a later change of the wall clock does not move it). {@link #toInstant()} returns
   * {@code instant} itself.
   */
  public static Deadline at(Instant instant, Clock clock) {
    Objects.requireNonNull(instant, "instant");
    Objects.requireNonNull(clock, "clock");
    long offset = saturatedNanos(Duration.between(clock.now(), instant));
    offset = Math.max(-MAX_OFFSET_NANOS, Math.min(MAX_OFFSET_NANOS, offset));
    return new Deadline(clock, clock.nanoTime() + offset, instant);
  }

  private static long saturatedNanos(Duration d) {
    if (d.compareTo(Duration.ofNanos(MAX_OFFSET_NANOS)) > 0) {
      return MAX_OFFSET_NANOS;
    }
    if (d.compareTo(Duration.ofNanos(-MAX_OFFSET_NANOS)) < 0) {
      return -MAX_OFFSET_NANOS;
    }
    return d.toNanos();
  }

  /** The earlier of {@code a} and {@code b}, where null means "none" (so the other wins). */
  public static Deadline earlierOf(Deadline a, Deadline b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return b.isBefore(a) ? b : a;
  }

  /** The clock this deadline is measured on. */
  public Clock clock() {
    return clock;
  }

  /** Nanoseconds left until the deadline; zero or negative once it has passed. */
  public long remainingNanos() {
    return nanos - clock.nanoTime();
  }

  /** True once the deadline has passed. */
  public boolean isExpired() {
    return nanos - clock.nanoTime() <= 0;
  }

  /** True when this deadline comes strictly before {@code other} (same clock). */
  public boolean isBefore(Deadline other) {
    return compareTo(other) < 0;
  }

  @Override
  public int compareTo(Deadline other) {
    if (other.clock != clock) {
      throw new IllegalArgumentException("deadlines on different clocks: " + clock + ", "
          + other.clock);
    }
    return Long.signum(nanos - other.nanos);
  }

  /**
   * The deadline as a wall-clock instant. Computed on first use from the remaining time, then
   * fixed: every later call returns the same instant.
   */
  public Instant toInstant() {
    Instant i = (Instant) INSTANT.getAcquire(this);
    if (i == null) {
      Instant computed = clock.now().plusNanos(remainingNanos());
      i = (Instant) INSTANT.compareAndExchange(this, null, computed);
      if (i == null) {
        i = computed;
      }
    }
    return i;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Deadline d && d.clock == clock && d.nanos == nanos;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(nanos);
  }

  @Override
  public String toString() {
    long left = remainingNanos();
    return left > 0 ? "Deadline[" + Duration.ofNanos(left) + " from now]"
        : "Deadline[passed " + Duration.ofNanos(-left) + " ago]";
  }
}
