package dev.tether.internal.client;

import dev.tether.CallCancelledException;
import dev.tether.internal.cancel.CallContext;
import dev.tether.internal.codec.MethodCodec;
import dev.tether.internal.stream.ElementDecoder;
import dev.tether.internal.stream.ElementEncoder;
import dev.tether.internal.stream.InboundStream;
import dev.tether.internal.stream.OutboundStream;
import dev.tether.internal.stream.StreamTable;
import dev.tether.internal.wire.StreamFrames;
import java.io.InputStream;
import java.util.stream.Stream;

/**
 * The client's side of calls with byte streams (only methods whose {@link MethodCodec#hasStreams}
 * come here): each {@link InputStream} argument gets a pump that sends it as the server reads;
 * a stream result becomes an {@link InboundStream} tied to the caller's scope. A typed
 * {@code Stream<T>} travels as a byte stream of encoded elements ({@link ElementEncoder},
 * {@link ElementDecoder}). The call's
 * argument streams stay open until its result stream ends, when there is one (see
 * {@link StreamTable}). Stateless.
 */
final class StreamCalls {
  private StreamCalls() {}

  /** Registers and starts a pump for every stream argument of {@code call} (before its CALL). */
  static void sendArguments(ClientConnection connection, PendingCall call, MethodCodec codec,
      Object[] args) {
    StreamTable table = connection.streams();
    for (int i : codec.streamParams()) {
      InputStream source = args[i] instanceof Stream<?> elements
          ? new ElementEncoder(elements, codec.streamElements(i)) : (InputStream) args[i];
      if (source != null) {
        OutboundStream s = table.openOutbound(call.id, i + 1, "argument " + i + " of "
            + Answers.describe(codec) + " (call " + call.id + ")", source, call::cancelWritten,
            null);
        s.start();
      }
    }
    if (call.isDone()) { // ended before its streams were registered (a failed connection)
      table.callEnded(call.id, "the call ended before it was sent");
    }
  }

  /**
   * The result stream of call {@code callId}: grants its window. Its reader reads the connection
   * itself when it waits for data ({@link ConsumerReads}).
   */
  static Object receiveResult(ClientConnection connection, int callId, MethodCodec codec) {
    String what = "the result of " + Answers.describe(codec) + " (call " + callId + ")";
    InboundStream s = connection.streams().openInbound(callId, StreamTable.RESULT_SLOT, what,
        CallContext.current(), CallCancelledException.Outcome.FORCED);
    return codec.resultElements() == null ? s
        : ElementDecoder.stream(s, codec.resultElements(), what);
  }

  /** Whether the call's streams outlive its end: it returned a stream, which ends them later. */
  static boolean keepsStreams(PendingCall call) {
    return call.outcome() instanceof Outcome.Returned r && StreamFrames.isResultStream(r.body());
  }
}
