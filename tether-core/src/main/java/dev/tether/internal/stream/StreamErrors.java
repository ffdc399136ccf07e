package dev.tether.internal.stream;

import dev.tether.CallCancelledException;
import dev.tether.DeadlineExceededException;
import dev.tether.ErrorCode;
import dev.tether.RemoteException;
import dev.tether.RemoteStackTrace;
import dev.tether.TetherException;
import dev.tether.internal.cancel.CancelReason;
import dev.tether.internal.wire.RemoteError;
import java.util.List;

/** The exceptions a stream's reader gets, in the user's terms. Stateless. */
final class StreamErrors {
  private StreamErrors() {}

  /** The peer reset the stream {@code what} with {@code e}: the data stops here. */
  static TetherException fromPeer(RemoteError e, String what) {
    String why = e.message() == null ? "" : ": " + e.message();
    return switch (e.code()) {
      case CANCELLED -> new CallCancelledException(CallCancelledException.Outcome.ACKNOWLEDGED,
          what + " was cancelled by the other side" + why);
      case DEADLINE_EXCEEDED -> new DeadlineExceededException(
          CallCancelledException.Outcome.ACKNOWLEDGED, what + why);
      case REMOTE_EXCEPTION -> e.chain().isEmpty()
          ? new TetherException(ErrorCode.REMOTE_EXCEPTION, what + " failed" + why)
          : new RemoteException(e.chain().get(0).type(), what + " failed: "
              + e.chain().get(0).message(), stackOf(e.chain()));
      default -> new TetherException(e.code(), what + " failed" + why);
    };
  }

  /** The call (or scope) that the stream belongs to was cancelled. */
  static CallCancelledException cancelled(CancelReason r, CallCancelledException.Outcome how,
      String what) {
    String why = what + " stopped: " + (r == null ? "cancelled" : r.message());
    return r != null && r.deadline() ? new DeadlineExceededException(how, why)
        : new CallCancelledException(how, why);
  }

  private static RemoteStackTrace stackOf(List<RemoteError.ThrowableInfo> chain) {
    RemoteStackTrace cause = null;
    for (int i = chain.size() - 1; i >= 0; i--) {
      RemoteError.ThrowableInfo t = chain.get(i);
      cause = new RemoteStackTrace(t.type(), t.message(), t.stack(), cause);
    }
    return cause;
  }
}
