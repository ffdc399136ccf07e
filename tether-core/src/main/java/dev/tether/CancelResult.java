package dev.tether;

/** What a request to cancel a call achieved ({@link Cancellation#cancel}, {@link CallCanceller#cancel}). */
public enum CancelResult {
  /**
   * The server saw the cancel and stopped within the grace period; the caller got a
   * {@link CallCancelledException} that says so.
   */
  ACKNOWLEDGED,
  /**
   * The server answered within the grace period with its own result or exception (the cancel came
   * too late to matter); the caller got exactly that answer.
   */
  ANSWERED,
  /**
   * The caller was released without the server's answer: the grace period ran out (or was zero),
   * or the connection was lost meanwhile. Anything the server sends later is discarded. For a
   * future that is not Tether's:
   * {@link Cancellation#cancel(java.util.concurrent.Future, java.time.Duration)} cancelled it, and
   * its waiters were released without a result.
   */
  FORCED,
  /** The call had already completed when the cancel arrived; nothing was done. */
  ALREADY_COMPLETE,
  /** Cancellation is not enabled on the target thread ({@link Cancellation#enable()}); nothing was done. */
  NOT_ENABLED,
  /**
   * The target thread has no outbound call pending, for example because it has not started its
   * call yet. Nothing is remembered for a later call: use a {@link CancelScope} to cancel calls
   * that have not started.
   */
  NO_PENDING_CALL,
  /**
   * The call was not on the wire: it was waiting to be sent again after the server refused it as
   * busy ({@link RetryPolicy}). It ended at once with a {@link CallCancelledException} whose
   * outcome is {@link CallCancelledException.Outcome#NOT_SENT}; the server never ran it.
   */
  NOT_SENT
}
