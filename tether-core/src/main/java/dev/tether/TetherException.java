package dev.tether;

import java.util.Objects;

/**
 * Base class of every exception Tether throws on a call path. Unchecked, so that proxies of
 * ordinary interfaces can throw it without {@code UndeclaredThrowableException}.
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
