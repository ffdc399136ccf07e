package dev.tether;

/**
 * The worker this call was running on was taken out of service by its supervisor, and the call
 * failed without an answer; whether it ran is unknown. The same {@link Tether} handle and its
 * proxies go on working against the replacement worker, so a retry of an idempotent call is
 * safe. {@link #reason()} says why; the code is {@link ErrorCode#WORKER_HUNG} when the worker was
 * killed because it was hung, and {@link ErrorCode#WORKER_RESTARTED} otherwise.
 */
public final class WorkerRestartedException extends TetherException {
  private static final long serialVersionUID = 1L;

  /** Why the worker was taken out of service. */
  public enum Reason {
    /** A call whose caller had given up was still running after the policy's limit. */
    HUNG,
    /** The worker stopped answering liveness pings. */
    LIVENESS_LOST,
    /** It had served its quota of calls or its time (a pool's recycling). */
    RECYCLED,
    /** Somebody asked for it ({@link Tether#restartWorker}). */
    REQUESTED
  }

  private final Reason reason;

  /** Creates the exception with a message that says what happened. */
  public WorkerRestartedException(Reason reason, String message) {
    super(reason == Reason.HUNG || reason == Reason.LIVENESS_LOST
        ? ErrorCode.WORKER_HUNG : ErrorCode.WORKER_RESTARTED, message);
    this.reason = reason;
  }

  /** Why the worker was taken out of service. */
  public Reason reason() {
    return reason;
  }
}
