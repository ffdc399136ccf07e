package dev.tether.internal.supervise;

import dev.tether.SupervisionStats;
import dev.tether.internal.client.ConnectionSource;
import java.time.Duration;
import java.util.Optional;

/** What {@code Tether} delegates to: a plain connection or a supervised worker. Thread-safe. */
public interface HandleCore extends ConnectionSource {
  /** The address of the server or current worker ({@code unix:/path}). */
  String address();

  /** True while calls can be made (or wait for a restarting worker). */
  boolean isOpen();

  /** Calls pending now. */
  int pendingCalls();

  /** Answers that arrived after their call ended, over every connection of this handle. */
  long discardedAnswers();

  /** The current worker process, if this handle launched one and it runs. */
  Optional<ProcessHandle> worker();

  /** The supervision snapshot; empty for a plain connection. */
  Optional<SupervisionStats> supervision();

  /** No new calls; pending ones finish; then the connection (and worker) close. Idempotent. */
  void shutdown();

  /** No new calls; pending ones fail now; the connection (and worker) close. Idempotent. */
  void shutdownNow();

  /** Waits until everything is closed and gone; returns whether it is within {@code timeout}. */
  boolean awaitTermination(Duration timeout) throws InterruptedException;

  /** A bound that {@code close()} may wait for termination. */
  Duration closeBound();
}
