package dev.tether;

/**
 * A worker process could not be started or did not complete its handshake in time ({@link
 * ErrorCode#WORKER_FAILED}). The message
 * includes the worker's exit code (if it exited) and the tail of its standard error.
 */
public final class WorkerStartException extends TetherException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public WorkerStartException(String message, Throwable cause) {
    super(ErrorCode.WORKER_FAILED, message, cause);
  }
}
