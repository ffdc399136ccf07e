package dev.tether;

/**
 * A call cancelled because its deadline passed (see {@link CancelScope#withTimeout}). A
 * {@link CallCancelledException} with code {@link ErrorCode#DEADLINE_EXCEEDED}.
 */
public final class DeadlineExceededException extends CallCancelledException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public DeadlineExceededException(Outcome outcome, String reason) {
    super(ErrorCode.DEADLINE_EXCEEDED, outcome, reason, null);
  }
}
