package dev.tether.internal.pool;

import dev.tether.ServerStats;
import java.time.Duration;

/**
 * What the pool needs from one worker: an adapter of a launched {@code Tether} handle, so that
 * the pool depends on a small surface (and can be wired to the handle's supervision later).
 * Thread-safe.
 */
public interface WorkerHandle {
  /** A proxy for {@code name} on this worker; resolves it on first use. */
  <T> T proxy(Class<T> iface, String name);

  /** False once the worker's connection failed or was closed. */
  boolean isOpen();

  /** Late answers this handle discarded (answers to calls whose callers had been released). */
  long discardedAnswers();

  /**
   * The worker's server statistics, asked of its admin object within {@code timeout}. Runs inside
   * the calling thread's cancel scope, so the caller's cancellation ends it too.
   *
   * @throws dev.tether.TetherException when the worker does not answer in time or fails
   */
  ServerStats adminStats(Duration timeout);

  /** Closes the worker; blocks until it is gone (bounded by its shutdown timeout). Idempotent. */
  void close();
}
