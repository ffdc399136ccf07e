package dev.tether.internal.client;

import dev.tether.CallCancelledException;
import dev.tether.DeadlineExceededException;
import dev.tether.TetherException;
import dev.tether.internal.cancel.CancelReason;
import dev.tether.internal.wire.RemoteError;

/**
 * How a pending call ended. A {@code byte[]} (a RESULT frame's body, value from
 * {@code FrameKind.HEADER_BYTES}) or an {@code Integer} (a RESOLVED binding) stand for themselves,
 * to spare an allocation on the fast path; everything else is one of these records.
 */
final class Outcomes {
  private Outcomes() {}

  /** The server answered with an ERROR frame. */
  record Error(RemoteError error) {}

  /** The call was cancelled: acknowledged by the server, forced, or never sent. */
  record Cancelled(CallCancelledException.Outcome how, CancelReason reason) {
    CallCancelledException toException() {
      String why = reason == null ? null : reason.message();
      return reason != null && reason.deadline()
          ? new DeadlineExceededException(how, why)
          : new CallCancelledException(how, why);
    }
  }

  /** The connection failed or closed before the server answered. */
  record Failed(TetherException cause) {}
}
