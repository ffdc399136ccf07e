package dev.tether.internal.client;

import dev.tether.CancelResult;
import dev.tether.internal.cancel.CancelNode;
import dev.tether.internal.codec.MethodCodec;
import java.time.Duration;

/**
 * A call whose caller does not wait: its outcome completes a {@link RemoteFuture}, decoded on a
 * virtual thread, so no thread of Tether's (a reader, the timer) ever runs the user's stages; a
 * user's own {@code cancel(grace)} completes it on the cancelling thread.
 */
final class AsyncCall extends PendingCall {
  private final MethodCodec codec;
  private final RemoteFuture<Object> future;
  private final ClientCallTrace trace; // null when nothing observes calls
  private volatile CancelNode.Removal scopeRegistration;

  AsyncCall(ClientConnection connection, int id, MethodCodec codec, ClientCallTrace trace) {
    super(connection, id, codec, null);
    this.codec = codec;
    this.trace = trace;
    this.future = new RemoteFuture<>(this);
    if (trace != null) {
      trace.call(this);
    }
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
    if (future.isDone() && trace == null) {
      return; // cancelled through the future itself
    }
    // Never run the caller's dependent stages on the completing thread: it may be reading a
    // connection, be the timer thread, or a server's reader cascading a cancel to this call.
    Thread.ofVirtual().name("tether-async-complete").start(this::completeFuture);
  }

  /**
   * Cancels like a synchronous call; then completes the future on this thread (the user's own),
   * so that it is done when the result is returned.
   */
  @Override
  public CancelResult cancel(Duration grace) {
    CancelResult r = super.cancel(grace);
    completeFuture();
    return r;
  }

  private void completeFuture() {
    Outcome o = outcome();
    if (o == null || future.isDone() && trace == null) {
      return; // not visible yet: the completing thread completes it
    }
    Object value = null;
    Throwable thrown = null;
    try {
      value = Answers.unpack(o, codec, connection);
    } catch (Throwable t) {
      thrown = t;
    }
    if (trace != null) {
      trace.end(o, thrown); // once, before the future completes (a user's thread or a virtual one)
    }
    if (thrown == null) {
      future.complete(value);
    } else {
      future.completeExceptionally(thrown);
    }
  }
}
