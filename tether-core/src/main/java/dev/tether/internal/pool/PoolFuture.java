package dev.tether.internal.pool;

import dev.tether.CallCanceller;
import dev.tether.internal.cancel.HasCanceller;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The future a pool's asynchronous method returns: completes like the worker's own future, but
 * only after the call's slot was given back, so a caller that saw it complete finds the slot free.
 * {@link #cancel(boolean)} cancels the worker's call, and {@code Cancellation.cancel(future, grace)}
 * reaches its cancel object, exactly as with one worker.
 */
final class PoolFuture<T> extends CompletableFuture<T> implements HasCanceller {
  private final CompletableFuture<T> call;
  private final HasCanceller cancelObject;

  private PoolFuture(CompletableFuture<T> call, HasCanceller cancelObject) {
    this.call = call;
    this.cancelObject = cancelObject;
  }

  /** A future that completes with {@code call}'s outcome after {@code release} saw it. */
  static <T, F extends CompletableFuture<T> & HasCanceller> PoolFuture<T> after(F call,
      Consumer<Throwable> release) {
    PoolFuture<T> f = new PoolFuture<>(call, call);
    call.whenComplete((value, failure) -> {
      release.accept(failure);
      if (failure == null) {
        f.complete(value);
      } else {
        f.completeExceptionally(failure);
      }
    });
    return f;
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    call.cancel(mayInterruptIfRunning); // completes the call, and through it this future
    return isCancelled() || super.cancel(mayInterruptIfRunning);
  }

  @Override
  public CallCanceller canceller() {
    return cancelObject.canceller();
  }
}
