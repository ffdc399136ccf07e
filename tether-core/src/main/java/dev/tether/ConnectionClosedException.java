package dev.tether;

/**
 * The connection to the peer is closed, was lost, or the peer process died. Calls pending when
 * that happened fail with it at once; new calls fail with it without waiting.
 */
public final class ConnectionClosedException extends TetherException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message saying what closed and why. */
  public ConnectionClosedException(String message, Throwable cause) {
    super(ErrorCode.UNAVAILABLE, message, cause);
  }
}
