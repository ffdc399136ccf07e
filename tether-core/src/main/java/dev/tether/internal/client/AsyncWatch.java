package dev.tether.internal.client;

import dev.tether.CallCanceller;
import dev.tether.PendingCallWatch;
import dev.tether.internal.cancel.CancelNode;
import dev.tether.internal.cancel.HasCanceller;
import dev.tether.internal.cancel.PendingWatches;
import dev.tether.internal.codec.MethodCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The pending-call watches of an asynchronous call (COM's message filter, for a call nobody waits
 * on): the same watches as a synchronous call's (the handle's, the calling thread's and the
 * scope's, collected when the call is made) are called while its future is not done, and stopped
 * when it completes, however it completes. The listener's
 * {@link dev.tether.PendingCallInfo#canceller()} cancels the call behind the future, across its
 * attempts. Thread-safe: what it holds is fixed once made, and {@link PendingWatcher} is
 * thread-safe.
 */
final class AsyncWatch extends WatchedCallInfo {
  private final CompletableFuture<Object> future;

  private AsyncWatch(MethodCodec codec, long startNanos, CompletableFuture<Object> future) {
    super(codec, startNanos);
    this.future = future;
  }

  /**
   * Makes the call ({@code call}) and, when watches apply to it (those of {@code plan}, the
   * calling thread and {@code scope}), watches it until its future completes. A call with none
   * is {@code call} itself, at the cost of two checks.
   */
  static CompletableFuture<Object> run(MethodPlan plan, MethodCodec codec, CancelNode scope,
      Supplier<CompletableFuture<Object>> call) {
    PendingCallWatch handle = plan == null ? null : plan.watch();
    if (handle == null && !PendingWatches.any()) {
      return call.get();
    }
    List<PendingCallWatch> watches = new ArrayList<>(2);
    if (handle != null) {
      watches.add(handle);
    }
    PendingWatches.collect(scope, watches);
    long start = CLOCK.nanoTime();
    CompletableFuture<Object> f = call.get();
    if (watches.isEmpty() || f.isDone() || !(f instanceof HasCanceller)) {
      return f;
    }
    PendingWatcher watcher = PendingWatcher.start(CLOCK, PendingWatcher.VIRTUAL, watches,
        new AsyncWatch(codec, start, f));
    // on the thread that completes the future (never a reader: see AsyncCall), before any
    // dependent stage of the caller's; stop() only cancels timers
    f.whenComplete((value, thrown) -> watcher.stop());
    return f;
  }

  @Override
  public int attempts() {
    return future instanceof AsyncRetry.Result r ? r.attempts() : 1;
  }

  @Override
  public CallCanceller canceller() {
    return ((HasCanceller) future).canceller();
  }
}
