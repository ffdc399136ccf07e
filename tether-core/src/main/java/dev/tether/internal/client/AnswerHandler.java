package dev.tether.internal.client;

import dev.tether.CallCancelledException;
import dev.tether.ErrorCode;
import dev.tether.internal.cancel.CancelReason;
import dev.tether.internal.wire.FrameHandler;
import dev.tether.internal.wire.RemoteError;

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
    deliver(callId, new Outcome.Returned(body));
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

  private void deliver(int callId, Outcome outcome) {
    PendingCall c = connection.pendingCall(callId);
    if (c == null || !c.complete(outcome)) {
      connection.lateAnswer();
    }
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
