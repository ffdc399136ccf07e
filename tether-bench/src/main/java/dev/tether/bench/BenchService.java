package dev.tether.bench;

import java.util.concurrent.CompletableFuture;

/** The interface Tether's benchmark calls, served by {@link BenchServiceImpl} in another JVM. */
public interface BenchService {
  /** Returns {@code v}: the trivial call of {@code rtt}. */
  int echo(int v);

  /** Returns {@code p}: the call of {@code rtt_record}. */
  Payload echoPayload(Payload p);

  /**
   * Signals {@code seq} through the {@link StartSignal}, then blocks until cancelled (at most a
   * minute) and returns 0: the call of {@code cancel_release}.
   */
  int block(int seq);

  /**
   * Signals {@code seq}, then polls {@code Cancellation.isCancelled()} with
   * {@link Thread#onSpinWait()} and returns {@link System#nanoTime()} when it sees the cancel (-1
   * after a minute): the call of {@code cancel_observe}.
   */
  long spinUntilCancelled(int seq);

  /** Stays pending until cancelled; counts the cancel on the server: {@code cancel_10k}. */
  CompletableFuture<Integer> awaitCancel();

  /** Starts a {@code cancel_10k} round expecting {@code n} cancels. */
  void resetCancelCount(int n);

  /** Progress of the {@code cancel_10k} round. */
  CancelProgress cancelProgress();
}
