package dev.tether.internal.client;

import dev.tether.CallCanceller;
import dev.tether.internal.cancel.CancelReason;
import dev.tether.internal.cancel.HasCanceller;
import java.util.concurrent.CancellationException;
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
    // Like CompletableFuture.cancel, minus the stack trace of the CancellationException: people
    // cancel futures by the thousand, and the trace would only show this method.
    boolean cancelled = completeExceptionally(new FutureCancelled());
    call.requestCancel(CANCELLED_THROUGH_FUTURE);
    return cancelled || isCancelled();
  }

  private static final CancelReason CANCELLED_THROUGH_FUTURE =
      CancelReason.of("the future was cancelled", 0);

  /** The exception of a future cancelled by {@link #cancel}: no stack trace. */
  private static final class FutureCancelled extends CancellationException {
    private static final long serialVersionUID = 1L;

    FutureCancelled() {
      super("the remote call was cancelled through its future");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
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
