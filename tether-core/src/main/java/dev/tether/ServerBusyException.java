package dev.tether;

import java.time.Duration;

/**
 * The server answered "busy" to every attempt of a call, and the caller's {@link RetryPolicy}
 * stopped trying: {@link #attempts()} says how many attempts were made and {@link #stoppedBecause()}
 * why no further one was. The method never ran (every attempt was refused before dispatch).
 * {@link #code()} is the code of the last refusal: {@link ErrorCode#SERVER_BUSY} (the server's
 * concurrency limit or filter shed the call), {@link ErrorCode#SERVER_EXHAUSTED} (no call thread
 * or too many orphans) or {@link ErrorCode#RESOURCE_EXHAUSTED} (this connection's call limit), so
 * code that checked those codes before retries existed still works.
 */
public final class ServerBusyException extends CallRefusedException {
  private static final long serialVersionUID = 1L;

  /** Why the retry policy made no further attempt. */
  public enum StopReason {
    /** The policy allows no retries ({@link RetryPolicy#none()}, the default). */
    NO_RETRIES,
    /** The policy's maximum attempts were made. */
    MAX_ATTEMPTS,
    /** The next attempt would have started after the call's deadline. */
    DEADLINE,
    /** The retry budget is spent: retries are already a large share of recent calls. */
    BUDGET
  }

  private final int attempts;
  private final StopReason stoppedBecause;
  private final String lastRefusal;

  /**
   * Creates the exception.
   *
   * @param code the last refusal's code
   * @param lastRefusal the server's reason for the last refusal
   * @param retryAfter the last refusal's retry-after hint, or null
   * @param attempts attempts made, at least 1
   * @param stoppedBecause why no further attempt was made
   */
  public ServerBusyException(ErrorCode code, String lastRefusal, Duration retryAfter, int attempts,
      StopReason stoppedBecause) {
    super(code, message(lastRefusal, attempts, stoppedBecause), retryAfter, null);
    this.attempts = attempts;
    this.stoppedBecause = stoppedBecause;
    this.lastRefusal = lastRefusal;
  }

  private static String message(String lastRefusal, int attempts, StopReason why) {
    String stop = switch (why) {
      case NO_RETRIES -> "the retry policy allows no retries";
      case MAX_ATTEMPTS -> "that is the retry policy's maximum";
      case DEADLINE -> "the next attempt would start after the call's deadline";
      case BUDGET -> "the retry budget is spent (retries are already a large share of calls)";
    };
    return "server busy: " + attempts + (attempts == 1 ? " attempt" : " attempts")
        + " refused, and " + stop + "; the method never ran. Last refusal: " + lastRefusal;
  }

  /** Attempts made, each refused before dispatch. */
  public int attempts() {
    return attempts;
  }

  /** The server's reason for refusing the last attempt. */
  public String lastRefusal() {
    return lastRefusal;
  }

  /** Why no further attempt was made. */
  public StopReason stoppedBecause() {
    return stoppedBecause;
  }
}
