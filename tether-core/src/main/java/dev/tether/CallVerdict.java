package dev.tether;

import java.time.Duration;
import java.util.Objects;

/** An {@link IncomingCallFilter}'s answer: accept, reject, or busy. Immutable. */
public final class CallVerdict {
  /** The three answers. */
  public enum Kind {
    /** Run the call. */
    ACCEPT,
    /** Refuse it for good ({@link ErrorCode#REJECTED}); the caller does not retry. */
    REJECT,
    /** Refuse it for now ({@link ErrorCode#SERVER_BUSY}); the caller may retry. */
    BUSY
  }

  private static final CallVerdict ACCEPT = new CallVerdict(Kind.ACCEPT, null, null);

  private final Kind kind;
  private final String reason;
  private final Duration retryAfter;

  private CallVerdict(Kind kind, String reason, Duration retryAfter) {
    this.kind = kind;
    this.reason = reason;
    this.retryAfter = retryAfter;
  }

  /** Run the call. */
  public static CallVerdict accept() {
    return ACCEPT;
  }

  /** Refuse the call for good; {@code reason} reaches the caller. */
  public static CallVerdict reject(String reason) {
    return new CallVerdict(Kind.REJECT, Objects.requireNonNull(reason, "reason"), null);
  }

  /** Refuse the call for now, without a hint of when to come back. */
  public static CallVerdict busy(String reason) {
    return new CallVerdict(Kind.BUSY, Objects.requireNonNull(reason, "reason"), null);
  }

  /**
   * Refuse the call for now, asking the caller to wait at least {@code retryAfter} before it tries
   * again (its {@link RetryPolicy} honours it, and never waits past the call's deadline).
   */
  public static CallVerdict busy(String reason, Duration retryAfter) {
    Objects.requireNonNull(retryAfter, "retryAfter");
    if (retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter must not be negative: " + retryAfter);
    }
    return new CallVerdict(Kind.BUSY, Objects.requireNonNull(reason, "reason"), retryAfter);
  }

  /** Which answer. */
  public Kind kind() {
    return kind;
  }

  /** The reason given to the caller; null for accept. */
  public String reason() {
    return reason;
  }

  /** The retry-after hint of a busy answer, or null. */
  public Duration retryAfter() {
    return retryAfter;
  }

  @Override
  public String toString() {
    return kind + (reason == null ? "" : ": " + reason)
        + (retryAfter == null ? "" : " (retry after " + retryAfter + ")");
  }
}
