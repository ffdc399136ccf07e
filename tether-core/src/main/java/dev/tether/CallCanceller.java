package dev.tether;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The cancel object of one pending call (COM's {@code ICancelMethodCalls}). A Tether proxy creates
 * one when it sends a call on a thread with cancellation enabled and drops it when the call ends;
 * {@link Cancellation#pendingCall(Thread)} finds it. Custom transports and wrappers implement it and
 * register it with {@link Cancellation#push(CallCanceller)}. Implementations must be thread-safe
 * and idempotent.
 */
public interface CallCanceller {
  /**
   * Asks for the call to be cancelled and waits up to {@code grace} for the server's answer; after
   * that the caller is released regardless. A second cancel may shorten the grace, never lengthen
   * it. {@link Duration#ZERO} releases the caller at once; a huge duration (for example
   * {@link Cancellation#NO_LIMIT}) waits for the server whatever it takes.
   *
   * @return how the call ended, or {@link CancelResult#ALREADY_COMPLETE}
   */
  CancelResult cancel(Duration grace);

  /**
   * Like {@link #cancel(Duration)} without blocking the calling thread: the future completes with
   * the result when the call ends or the grace runs out.
   */
  default CompletableFuture<CancelResult> cancelAsync(Duration grace) {
    CompletableFuture<CancelResult> f = new CompletableFuture<>();
    Thread.ofVirtual().name("tether-cancel").start(() -> {
      try {
        f.complete(cancel(grace));
      } catch (Throwable t) {
        f.completeExceptionally(t);
      }
    });
    return f;
  }

  /** True once cancellation of this call has been requested. */
  boolean isCancelled();
}
