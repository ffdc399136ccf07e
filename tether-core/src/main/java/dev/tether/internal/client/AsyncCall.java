package dev.tether.internal.client;

import dev.tether.internal.cancel.CancelNode;
import dev.tether.internal.codec.MethodCodec;

/**
 * A call whose caller does not wait: its outcome completes a {@link RemoteFuture}, decoded on a
 * virtual thread so that neither the reader thread nor the thread that cancels runs user stages.
 */
final class AsyncCall extends PendingCall {
  private final MethodCodec codec;
  private final RemoteFuture<Object> future;
  private volatile CancelNode.Removal scopeRegistration;

  AsyncCall(ClientConnection connection, int id, MethodCodec codec) {
    super(connection, id, codec, null);
    this.codec = codec;
    this.future = new RemoteFuture<>(this);
  }

  RemoteFuture<Object> future() {
    return future;
  }

  void scopeRegistration(CancelNode.Removal r) {
    scopeRegistration = r;
    if (isDone()) {
      r.remove();
    }
  }

  @Override
  void onComplete(Outcome result) {
    CancelNode.Removal r = scopeRegistration;
    if (r != null) {
      r.remove();
    }
    if (future.isDone()) {
      return; // cancelled through the future itself
    }
    if (connection.replies().isLeader(Thread.currentThread())) {
      // never run the caller's dependent stages on the thread that reads answers
      Thread.ofVirtual().name("tether-async-complete").start(this::completeFuture);
    } else {
      completeFuture(); // a canceller or a failing connection: complete right here
    }
  }

  private void completeFuture() {
    try {
      future.complete(Answers.unpack(outcome(), codec, connection));
    } catch (Throwable t) {
      future.completeExceptionally(t);
    }
  }
}
