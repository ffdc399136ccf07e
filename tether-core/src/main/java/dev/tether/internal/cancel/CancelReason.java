package dev.tether.internal.cancel;

/**
 * Why a {@link CancelNode} was cancelled, and how long calls pending under it may wait for their
 * servers before their callers are released.
 *
 * @param message what the caller's exception reports
 * @param graceNanos grace for pending calls, {@link Grace#FOREVER} for unbounded
 * @param deadline true when the cause is an expired deadline
 */
public record CancelReason(String message, long graceNanos, boolean deadline) {

  /** A plain cancellation with a reason and a grace period. */
  public static CancelReason of(String message, long graceNanos) {
    return new CancelReason(message, graceNanos, false);
  }

  /** The reason used when a deadline passes. */
  public static CancelReason deadlineExceeded(long graceNanos) {
    return new CancelReason("deadline exceeded", graceNanos, true);
  }
}
