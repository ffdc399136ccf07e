package dev.tether.internal.server;

import dev.tether.CallOutcome;
import dev.tether.ErrorCode;
import dev.tether.internal.cancel.CancelReason;
import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.codec.MethodCodec;
import dev.tether.internal.stream.OutboundStream;
import dev.tether.internal.wire.FrameBuffers;
import dev.tether.internal.wire.FrameTooLargeException;
import dev.tether.internal.wire.Frames;
import dev.tether.internal.wire.StreamFrames;

/**
 * Writes the answer that ends each call of one {@link ServerConnection}: RESULT (with its result
 * stream, if any), ERROR, the REFUSED error of a call that never ran, CANCEL_ACK. Each first ends
 * the call in the connection's books ({@link ServerConnection#finish}); a call whose caller was
 * released, or whose connection closed, is answered by nobody. An answer that cannot even be
 * built (out of memory, say) becomes a bare error, so the caller always hears. Called from
 * serving threads, any number at once; the connection's writer orders the frames.
 */
final class CallAnswers {
  private final ServerConnection c;

  CallAnswers(ServerConnection c) {
    this.c = c;
  }

  void result(ServerCall call, Object value) {
    if (!c.finish(call, CallOutcome.OK, null, null, null)) {
      if (call.method.codec().streamResult()) {
        CallStreams.dropResult(c.streams, call, value);
      }
      return;
    }
    try {
      writeResult(call, value);
    } catch (Throwable t) { // even the error frame failed (out of memory): a bare one
      sendBareError(call, t);
    } finally {
      c.answered();
      ServerConnection.observed(call);
    }
  }

  private void writeResult(ServerCall call, Object value) {
    MethodCodec codec = call.method.codec();
    OutboundStream stream = null;
    if (codec.streamResult()) {
      if (value == null) {
        c.streams.callEnded(call.id, "the call ended");
      } else {
        stream = CallStreams.sendResult(c.streams, call, value, c.connectionNode);
      }
    }
    ByteWriter w = FrameBuffers.acquire();
    try {
      Frames.beginResult(w, call.id);
      codec.encodeResult(w, value);
      if (stream != null) {
        StreamFrames.markResultStream(w);
      }
      Frames.end(w, c.peerMaxFrameBytes);
    } catch (FrameTooLargeException e) {
      Frames.error(w, call.id, ErrorCode.RESOURCE_EXHAUSTED, "the result of " + call.methodName()
          + " is " + e.length() + " bytes, more than the client accepts (its maxFrameBytes is "
          + e.limit() + ")", null, c.peerMaxFrameBytes);
    } catch (Throwable e) { // a value the codec refuses, or an Error: the caller still hears
      String why = "the result of " + call.methodName() + " cannot be sent: " + e;
      Frames.error(w, call.id, e instanceof OutOfMemoryError ? ErrorCode.RESOURCE_EXHAUSTED
          : ErrorCode.REMOTE_EXCEPTION, why, new IllegalStateException(why, e), c.peerMaxFrameBytes);
    }
    try {
      if (call.trace != null) {
        call.trace.sent(w.size());
      }
      c.write(w);
    } finally {
      FrameBuffers.release(w);
    }
    if (stream != null) {
      stream.start(); // sends nothing before the caller's first credit, so after the RESULT
    }
  }

  void error(ServerCall call, ErrorCode code, String message, Throwable thrown) {
    if (!c.finish(call, CallOutcome.ERROR, code, message, thrown)) {
      return;
    }
    try {
      c.send(w -> Frames.error(w, call.id, code, message, thrown, c.peerMaxFrameBytes));
    } catch (Throwable t) { // the error's own frame failed (out of memory, say): a bare one
      sendBareError(call, t);
    } finally {
      c.answered();
      ServerConnection.observed(call);
    }
  }

  /**
   * Refuses {@code call} before dispatch: an ERROR flagged refused, so its caller knows the method
   * never started and may retry (see {@link CallGate}).
   */
  void refused(ServerCall call, Refusal r) {
    call.refused = true;
    if (!c.finish(call, r.code() == ErrorCode.REJECTED ? CallOutcome.REJECTED : CallOutcome.BUSY,
        r.code(), r.message(), null)) {
      return;
    }
    try {
      c.send(w -> Frames.refusal(w, call.id, r.code(), r.message(), r.retryAfterNanos(),
          c.peerMaxFrameBytes));
    } catch (Throwable t) { // the frame failed (out of memory, say): a bare error
      sendBareError(call, t);
    } finally {
      c.answered();
      ServerConnection.observed(call);
    }
  }

  void cancelled(ServerCall call) {
    CancelReason r = call.node.reason();
    if (!c.finish(call, r != null && r.deadline() ? CallOutcome.DEADLINE : CallOutcome.CANCELLED,
        null, null, null)) {
      return;
    }
    try {
      c.send(w -> Frames.cancelAck(w, call.id, r == null ? null : r.message(),
          r != null && r.deadline()));
    } finally {
      c.answered();
      ServerConnection.observed(call);
    }
  }

  /** The last resort after building an answer threw: an error frame with a constant message. */
  private void sendBareError(ServerCall call, Throwable t) {
    ErrorCode code = t instanceof OutOfMemoryError ? ErrorCode.RESOURCE_EXHAUSTED
        : ErrorCode.INTERNAL;
    try {
      c.send(w -> Frames.error(w, call.id, code, "the server failed to answer", null,
          c.peerMaxFrameBytes));
    } catch (Throwable again) {
      c.close("cannot answer call " + call.id); // the caller learns at least that much
    }
  }
}
