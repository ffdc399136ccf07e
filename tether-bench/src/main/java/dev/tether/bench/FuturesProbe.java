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
