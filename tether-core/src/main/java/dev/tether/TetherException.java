package dev.tether;

import java.util.Objects;

/**
 * Base class of every exception Tether throws for a failure that depends on the world outside
 * the caller's code (peers, processes, addresses, limits) and of every failure of a call through
 * a proxy; {@link #code()} says which. Programming errors found before anything is sent or bound
 * (null or invalid arguments, an object used in the wrong state) are the usual
 * {@code NullPointerException}, {@code IllegalArgumentException} and
 * {@code IllegalStateException} instead. Unchecked, so that proxies of ordinary interfaces can
 * throw it without {@code UndeclaredThrowableException}.
 */
public class TetherException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  /** Creates an exception with a code and a message. */
  public TetherException(ErrorCode code, String message) {
    this(code, message, null);
  }

  /** Creates an exception with a code, a message and a cause. */
  public TetherException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  /** Why the call failed. */
  public ErrorCode code() {
    return code;
  }
}
