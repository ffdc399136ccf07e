package dev.tether.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * The part of a {@code cancel_10k} probe every system with futures shares: it keeps the futures
 * of the calls it started, cancels them all with {@code cancel(true)}, and forgets them.
 */
abstract class FuturesProbe implements Measure.PendingProbe {
  private final List<Future<?>> calls = new ArrayList<>();

  /**
   * Runs {@code released} when {@code f} completes, like gRPC's {@code addListener(runnable,
   * directExecutor())}: through {@code handle}, whose dependent future completes normally. Not
   * {@code whenComplete}, which wraps the cancelled future's exception in a new
   * {@code CompletionException} (with a stack trace) for its dependent, a cost of the harness
   * the gRPC probe does not pay.
   */
  static void onDone(java.util.concurrent.CompletableFuture<?> f, Runnable released) {
    f.handle((v, t) -> {
      released.run();
      return null;
    });
  }

  /** Keeps {@code f} for {@link #cancelAll()}. */
  protected final void track(Future<?> f) {
    calls.add(f);
  }

  @Override
  public final void cancelAll() {
    for (Future<?> f : calls) {
      f.cancel(true);
    }
  }

  @Override
  public final void clear() {
    calls.clear();
  }
}
