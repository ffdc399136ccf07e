package dev.tether;

import java.time.Duration;
import java.util.Optional;

/**
 * The server refused the call before dispatching it: the method never started, so nothing of it
 * ran. This is the middle of the three states a failed call can be in: never sent (a
 * {@link CallCancelledException} with {@link CallCancelledException.Outcome#NOT_SENT}, or a
 * failure found before sending), refused before dispatch (this), or dispatched (every other
 * failure). {@link #code()} says why: {@link ErrorCode#REJECTED} (the server's filter said no; do
 * not ask again), or a busy answer ({@link #isBusy()}: {@link ErrorCode#SERVER_BUSY},
 * {@link ErrorCode#SERVER_EXHAUSTED}, {@link ErrorCode#RESOURCE_EXHAUSTED}), or
 * {@link ErrorCode#UNAVAILABLE} for a server that is shutting down. A busy refusal that ends a call
 * is thrown as its subclass {@link ServerBusyException}, which says how many attempts were made.
 */
public class CallRefusedException extends TetherException {
  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  /**
   * Creates the exception.
   *
   * @param code why the server refused
   * @param message the server's reason, in the user's terms
   * @param retryAfter the server's hint of when to try again, or null for none
   */
  public CallRefusedException(ErrorCode code, String message, Duration retryAfter) {
    this(code, message, retryAfter, null);
  }

  /** Creates the exception with a cause, for subclasses. */
  protected CallRefusedException(ErrorCode code, String message, Duration retryAfter,
      Throwable cause) {
    super(code, message, cause);
    this.retryAfter = retryAfter;
  }

  /**
   * True when the server refused because it is busy (asking again later may succeed): the codes
   * {@link ErrorCode#SERVER_BUSY}, {@link ErrorCode#SERVER_EXHAUSTED} and
   * {@link ErrorCode#RESOURCE_EXHAUSTED}.
   */
  public boolean isBusy() {
    return isBusy(code());
  }

  /** Whether a refusal with {@code code} means "busy, retry later". */
  static boolean isBusy(ErrorCode code) {
    return code == ErrorCode.SERVER_BUSY || code == ErrorCode.SERVER_EXHAUSTED
        || code == ErrorCode.RESOURCE_EXHAUSTED;
  }

  /** The server's hint of when to try again, if it gave one. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
