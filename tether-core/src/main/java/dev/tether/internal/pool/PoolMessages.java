package dev.tether.internal.pool;

import dev.tether.CallCancelledException;
import dev.tether.DeadlineExceededException;
import dev.tether.internal.cancel.CancelReason;

/** The exceptions a pool's caller gets for a call that was never sent. */
final class PoolMessages {
  private PoolMessages() {}

  /** What a single worker's proxy throws for a cancelled scope, plus where the caller was. */
  static CallCancelledException cancelled(CancelReason r, String where) {
    String reason = r.message() + " " + where;
    return r.deadline()
        ? new DeadlineExceededException(CallCancelledException.Outcome.NOT_SENT, reason)
        : new CallCancelledException(CallCancelledException.Outcome.NOT_SENT, reason);
  }
}
