package dev.tether;

/**
 * What a cancelled call throws (COM's {@code RPC_E_CALL_CANCELED}). {@link #outcome()} says how
 * the caller was released: the server acknowledged the cancel, the grace period ran out, or the call
 * was never sent because its scope was already cancelled.
 */
public class CallCancelledException extends TetherException {
  private static final long serialVersionUID = 1L;

  /** How a cancelled call ended for its caller. */
  public enum Outcome {
    /** The server saw the cancel and stopped in time; its answer was the acknowledgement. */
    ACKNOWLEDGED,
    /** The grace period ran out (or was zero) and the caller was released without the server. */
    FORCED,
    /** The call was cancelled before it was sent; the server never saw it. */
    NOT_SENT
  }

  private final Outcome outcome;
  private final String reason;

  /** Creates the exception for a call cancelled with {@code reason}. */
  public CallCancelledException(Outcome outcome, String reason) {
    this(ErrorCode.CANCELLED, outcome, reason, null);
  }

  /** Creates the exception with an explicit code and cause, for subclasses and wrappers. */
  protected CallCancelledException(ErrorCode code, Outcome outcome, String reason, Throwable cause) {
    super(code, message(outcome, reason), cause);
    this.outcome = outcome;
    this.reason = reason;
  }

  private static String message(Outcome outcome, String reason) {
    String how = switch (outcome) {
      case ACKNOWLEDGED -> "call cancelled; the server acknowledged";
      case FORCED -> "call cancelled; caller released without waiting for the server";
      case NOT_SENT -> "call cancelled before it was sent";
    };
    return reason == null || reason.isEmpty() ? how : how + ": " + reason;
  }

  /** How the caller was released. */
  public Outcome outcome() {
    return outcome;
  }

  /** True when the server saw the cancel and stopped in time. */
  public boolean acknowledged() {
    return outcome == Outcome.ACKNOWLEDGED;
  }

  /** True when the caller was released without the server's answer (grace ran out or was zero). */
  public boolean forced() {
    return outcome == Outcome.FORCED;
  }

  /** Why the call was cancelled (for example a scope's reason, "interrupted", "deadline"). */
  public String reason() {
    return reason;
  }
}
