package dev.tether.internal.pool;

import dev.tether.CallCancelledException;
import dev.tether.CallCanceller;
import dev.tether.CancelResult;
import java.time.Duration;

/**
 * The cancel object of a caller waiting for a free worker, pushed on the caller's thread when it
 * has cancellation enabled, so that {@code Cancellation.cancel(thread, grace)} releases the wait
 * exactly as it releases a pending call. The call was never sent, so nothing waits for a server.
 */
final class WaitCanceller implements CallCanceller {
  private final PoolCore pool;
  private final Waiter waiter;

  WaitCanceller(PoolCore pool, Waiter waiter) {
    this.pool = pool;
    this.waiter = waiter;
  }

  @Override
  public CancelResult cancel(Duration grace) {
    waiter.cancelRequested = true;
    boolean released = pool.failWaiter(waiter, () -> new CallCancelledException(
        CallCancelledException.Outcome.NOT_SENT,
        "cancelled while waiting for a free worker of " + pool.describe()));
    return released ? CancelResult.FORCED : CancelResult.ALREADY_COMPLETE;
  }

  @Override
  public boolean isCancelled() {
    return waiter.cancelRequested;
  }
}
