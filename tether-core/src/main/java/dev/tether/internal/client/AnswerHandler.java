package dev.tether.internal.client;

import dev.tether.CallCancelledException;
import dev.tether.ErrorCode;
import dev.tether.internal.cancel.CancelReason;
import dev.tether.internal.wire.ChunkBuffers;
import dev.tether.internal.wire.FrameHandler;
import dev.tether.internal.wire.ProtocolException;
import dev.tether.internal.wire.StreamFrames;
import dev.tether.internal.wire.RemoteError;
import java.nio.ByteBuffer;

/**
 * What the client does with each frame the server sends: hands answers to their pending calls
 * (counting those that arrive for calls already over), answers pings, and heeds GOAWAY. Runs on
 * whichever thread is reading (see {@link ReplyReader}).
 */
final class AnswerHandler implements FrameHandler {
  private final ClientConnection connection;

  AnswerHandler(ClientConnection connection) {
    this.connection = connection;
  }

  @Override
  public void resolved(int callId, int bindingId) {
    deliver(callId, new Outcome.Resolved(bindingId));
  }

  @Override
  public void result(int callId, byte[] body, int offset) {
    if (!deliver(callId, new Outcome.Returned(body)) && StreamFrames.isResultStream(body)) {
      connection.streams().resetSoon(callId, 0, ErrorCode.CANCELLED,
          "the caller no longer waits for the result"); // else its sender waits for credit
    }
  }

  @Override
  public void error(int callId, RemoteError error) {
    deliver(callId, new Outcome.Error(error));
  }

  @Override
  public void cancelAck(int callId, String message, boolean deadline) {
    PendingCall c = connection.pendingCall(callId);
    if (c == null) {
      connection.lateAnswer();
      return;
    }
    CancelReason why = c.reasonForAck(message, deadline);
    if (!c.complete(new Outcome.Cancelled(CallCancelledException.Outcome.ACKNOWLEDGED, why))) {
      connection.lateAnswer();
    }
  }

  private boolean deliver(int callId, Outcome outcome) {
    PendingCall c = connection.pendingCall(callId);
    if (c == null || !c.complete(outcome)) {
      connection.lateAnswer();
      return false;
    }
    return true;
  }

  @Override
  public void streamData(int callId, int slot, boolean end, byte[] body, int offset)
      throws ProtocolException {
    connection.streams().onData(callId, slot, end, body, offset);
  }

  @Override
  public void streamData(int callId, int slot, boolean end, ByteBuffer data,
      ChunkBuffers buffers) throws ProtocolException {
    connection.streams().onData(callId, slot, end, data);
  }

  @Override
  public void streamCredit(int callId, int slot, int bytes) {
    connection.streams().onCredit(callId, slot, bytes);
  }

  @Override
  public void streamReset(int callId, int slot, RemoteError error) {
    connection.streams().onReset(callId, slot, error);
  }

  @Override
  public void ping(long value) {
    connection.sendPong(value);
  }

  @Override
  public void pong(long value) {
    connection.pong(value);
  }

  @Override
  public void goAway(ErrorCode code, String message) {
    connection.goingAway(code, message);
  }
}
