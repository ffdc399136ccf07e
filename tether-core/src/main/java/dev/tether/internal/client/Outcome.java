package dev.tether.internal.client;

import dev.tether.CallCancelledException;
import dev.tether.DeadlineExceededException;
import dev.tether.TetherException;
import dev.tether.internal.cancel.CancelReason;
import dev.tether.internal.wire.RemoteError;

/**
 * How a pending call ended: exactly one of these, set once by {@link PendingCall}. Sealed, so the
 * classes that act on an outcome ({@link Answers}, {@link AsyncCall}, the connection's resolve)
 * switch over every case and the compiler checks that none is forgotten.
 */
sealed interface Outcome {
  /**
   * The server answered with a RESULT frame.
   *
   * @param body the whole frame; the value is encoded from {@code FrameKind.HEADER_BYTES} on
   */
  record Returned(byte[] body) implements Outcome {}

  /** The server accepted a RESOLVE: the binding id for CALL frames. */
  record Resolved(int binding) implements Outcome {}

  /** The server answered with an ERROR frame. */
  record Error(RemoteError error) implements Outcome {}

  /** The call was cancelled: acknowledged by the server, forced, or never sent. */
  record Cancelled(CallCancelledException.Outcome how, CancelReason reason) implements Outcome {
    /** The exception the caller gets: a {@link DeadlineExceededException} for a deadline. */
    CallCancelledException toException() {
      String why = reason == null ? null : reason.message();
      return reason != null && reason.deadline()
          ? new DeadlineExceededException(how, why)
          : new CallCancelledException(how, why);
    }
  }

  /** The connection failed or closed before the server answered. */
  record Failed(TetherException cause) implements Outcome {}
}
