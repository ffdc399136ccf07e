package dev.tether.bench;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Server-side bookkeeping shared by every peer's server: how many pending calls started, how many
 * cancels the server saw and when the last expected one arrived, and when a spinning method last
 * saw a cancel. One instance per server JVM.
 */
public final class ServerCounters {
  /** The instance of this JVM. */
  public static final ServerCounters INSTANCE = new ServerCounters();

  private final AtomicInteger started = new AtomicInteger();
  private final AtomicInteger observed = new AtomicInteger();
  private final AtomicLong reachedAt = new AtomicLong();
  private volatile long[] lastSeen = {0, 0};
  private volatile int expected = Integer.MAX_VALUE;

  private ServerCounters() {}

  /** Starts a new {@code cancel_10k} round expecting {@code n} cancels. */
  public void reset(int n) {
    expected = n;
    started.set(0);
    observed.set(0);
    reachedAt.set(0);
  }

  /** A pending call reached the server method. */
  public void started() {
    started.incrementAndGet();
  }

  /** The server saw the cancel of a pending call. */
  public void observed() {
    long now = System.nanoTime();
    if (observed.incrementAndGet() == expected) {
      reachedAt.set(now);
    }
  }

  /** The current counts. */
  public CancelProgress progress() {
    return new CancelProgress(started.get(), observed.get(), reachedAt.get());
  }

  /** The spinning call number {@code seq} saw its cancel at {@code nanos}. */
  public void seen(int seq, long nanos) {
    lastSeen = new long[] {seq, nanos};
  }

  /**
   * When the spinning call number {@code seq} saw its cancel, or 0 when it has not yet (peers
   * whose cancelled calls cannot answer report it through a second call).
   */
  public long lastSeen(int seq) {
    long[] s = lastSeen;
    return s[0] == seq ? s[1] : 0;
  }

  /**
   * Spins with {@link Thread#onSpinWait()} until {@code cancelled} says so or {@code maxNanos}
   * pass. Returns {@link System#nanoTime()} when it saw the cancel, or -1 on timeout.
   */
  public static long spinUntil(java.util.function.BooleanSupplier cancelled, long maxNanos) {
    long start = System.nanoTime();
    while (!cancelled.getAsBoolean()) {
      Thread.onSpinWait();
      if (System.nanoTime() - start > maxNanos) {
        return -1;
      }
    }
    return System.nanoTime();
  }
}
