package dev.tether.internal.server;

import dev.tether.CallCancelledException;
import dev.tether.TetherException;
import dev.tether.internal.cancel.CancelNode;
import dev.tether.internal.codec.MethodCodec;
import dev.tether.internal.stream.ElementDecoder;
import dev.tether.internal.stream.ElementEncoder;
import dev.tether.internal.stream.InboundStream;
import dev.tether.internal.stream.OutboundStream;
import dev.tether.internal.stream.StreamTable;
import java.io.InputStream;
import java.util.stream.Stream;

/**
 * The server's side of calls with byte streams (only methods whose {@link MethodCodec#hasStreams}
 * come here, and they never run inline on the reader): stream arguments become streams the method
 * reads as the caller sends, tied to the call's cancellation; a stream result is sent by a pump of
 * its own after the RESULT frame. Stateless.
 */
final class CallStreams {
  private CallStreams() {}

  /**
   * Replaces the decoded stream placeholders in {@code args} with the streams being received.
   *
   * @throws TetherException RESOURCE_EXHAUSTED when the connection receives too many streams
   */
  static void receiveArguments(StreamTable table, ServerCall call, Object[] args) {
    MethodCodec codec = call.method.codec();
    for (int i : codec.streamParams()) {
      if (args[i] == MethodCodec.STREAM) {
        String what = "argument " + i + " of " + call.methodName() + " (call " + call.id + ")";
        InboundStream in = table.openInbound(call.id, i + 1, what, call.node,
            CallCancelledException.Outcome.ACKNOWLEDGED);
        args[i] = codec.streamElements(i) == null ? in
            : ElementDecoder.stream(in, codec.streamElements(i), what);
      }
    }
  }

  /**
   * Registers the pump of a stream result before its RESULT frame is written (so the caller's
   * first credit finds it); the caller starts it once the frame is out. The pump runs in a cancel
   * node under the connection's, so a source that checks {@code Cancellation.isCancelled()} sees
   * the caller give up.
   */
  static OutboundStream sendResult(StreamTable table, ServerCall call, Object value,
      CancelNode connectionNode) {
    InputStream source = value instanceof Stream<?> elements
        ? new ElementEncoder(elements, call.method.codec().resultElements()) : (InputStream) value;
    return table.openOutbound(call.id, StreamTable.RESULT_SLOT, "the result of "
        + call.methodName() + " (call " + call.id + ")", source, () -> false,
        CancelNode.create(connectionNode, null, 0));
  }

  /** A stream result nobody will read (the caller left): closes it, ends the call's streams. */
  static void dropResult(StreamTable table, ServerCall call, Object value) {
    try {
      if (value instanceof InputStream s) {
        s.close();
      } else if (value instanceof Stream<?> s) {
        s.close();
      }
    } catch (Throwable ignored) {
      // dropped either way
    }
    table.callEnded(call.id, "the caller no longer waits for the result");
  }
}
