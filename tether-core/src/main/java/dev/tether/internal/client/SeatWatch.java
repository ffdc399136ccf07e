package dev.tether.internal.client;

import dev.tether.internal.cancel.Grace;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The one follower of a connection whose wait is bounded, so a {@link ReplyReader} leader can step
 * down without waking anyone: the caller that comes back first with its next call takes the seat,
 * and only when none does within the watch does the watcher take it.
 *
 * <p>Thread safety: lock-free. At most one call watches at a time ({@link #tryWatch} is a CAS from
 * empty); only the watcher ends its own watch. The watch and the leader's seat form a Dekker
 * pair: a leader clears the seat and then reads {@link #watching}; a watcher clears the watch and
 * then reads the seat, so at least one of the two sees that somebody must be woken.
 */
final class SeatWatch {
  private final AtomicReference<PendingCall> watcher = new AtomicReference<>();
  private final long watchNanos;

  /** A watch whose wait lasts at most {@code watchNanos}. */
  SeatWatch(long watchNanos) {
    this.watchNanos = watchNanos;
  }

  /** True while a follower watches. */
  boolean watching() {
    return watcher.get() != null;
  }

  /** Makes {@code call} the watcher if nobody watches; true if it now watches. */
  boolean tryWatch(PendingCall call) {
    return watcher.get() == null && watcher.compareAndSet(null, call);
  }

  /**
   * As the watcher: parks until woken, the watch ends or {@code wakeAt} (a nanoTime instant, or
   * {@link Grace#FOREVER}) passes, then ends the watch.
   */
  void park(PendingCall call, long wakeAt, long now) {
    long wait = wakeAt == Grace.FOREVER ? watchNanos : Math.min(watchNanos, wakeAt - now);
    try {
      if (!call.isDone()) {
        LockSupport.parkNanos(call, wait);
      }
    } finally {
      watcher.set(null);
    }
  }
}
