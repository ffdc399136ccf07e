package dev.tether.bench;

import java.util.concurrent.CompletableFuture;

/** The interface Tether's benchmark calls, served by {@link BenchServiceImpl} in another JVM. */
public interface BenchService {
  /** Returns {@code v}: the trivial call of {@code rtt}. */
  int echo(int v);

  /** Returns {@code p}: the call of {@code rtt_record}. */
  Payload echoPayload(Payload p);

  /** Blocks until cancelled (at most a minute), then returns 0: the call of {@code cancel_release}. */
  int block();

  /**
   * Polls {@code Cancellation.isCancelled()} with {@link Thread#onSpinWait()} and returns
   * {@link System#nanoTime()} when it sees the cancel (-1 after a minute): {@code cancel_observe}.
   */
  long spinUntilCancelled();

  /** Stays pending until cancelled; counts the cancel on the server: {@code cancel_10k}. */
  CompletableFuture<Integer> awaitCancel();

  /** Starts a {@code cancel_10k} round expecting {@code n} cancels. */
  void resetCancelCount(int n);

  /** Progress of the {@code cancel_10k} round. */
  CancelProgress cancelProgress();
}
