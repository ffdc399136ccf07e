package dev.tether.internal.client;

import dev.tether.CallCanceller;
import dev.tether.internal.cancel.CancelReason;
import dev.tether.internal.cancel.HasCanceller;
import java.util.concurrent.CompletableFuture;

/**
 * The future an asynchronous proxy method returns. {@link #cancel(boolean)} cancels the remote
 * call with no grace (the future completes at once with a {@code CancellationException});
 * {@code Cancellation.cancel(future, grace)} gives the server a grace period, like a synchronous
 * call. Dependent stages never run on Tether's reader thread.
 */
final class RemoteFuture<T> extends CompletableFuture<T> implements HasCanceller {
  private final PendingCall call;

  RemoteFuture(PendingCall call) {
    this.call = call;
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    call.requestCancel(CancelReason.of("the future was cancelled", 0));
    return cancelled;
  }

  @Override
  public CallCanceller canceller() {
    return call;
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CompletableFuture<>();
  }

  @Override
  public String toString() {
    return "RemoteFuture[" + call + ", " + super.toString() + "]";
  }
}
