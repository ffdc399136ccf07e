package dev.tether.internal.client;

/**
 * Decides, tick by tick, when to ping a silent peer and when to declare it dead. Silence is
 * judged only after a PING went unanswered: while calls are pending and nothing has been heard
 * for the interval, a PING goes out; the peer is dead when the matching PONG has not come back
 * within the timeout. An idle spell never counts against the peer, and any frame heard makes a
 * PING unnecessary until the next silent interval. So a stopped peer is detected within
 * interval + timeout plus two ticks, and a peer that answers pings never is.
 *
 * <p>Times are {@link System#nanoTime} values passed in, so tests drive it with a fake clock.
 * Thread-safe: {@link #heard} is a volatile write (called for every frame), the rest is
 * synchronized (called by the timer and by whoever reads a PONG).
 */
final class Liveness {
  /** What the connection must do after a tick. */
  enum Verdict { NOTHING, SEND_PING, DEAD }

  private final long intervalNanos;
  private final long timeoutNanos;
  private volatile long lastHeard;
  private boolean pingOutstanding;
  private long pingSentAt;
  private long pingValue;

  Liveness(long intervalNanos, long timeoutNanos, long now) {
    this.intervalNanos = intervalNanos;
    this.timeoutNanos = timeoutNanos;
    this.lastHeard = now;
  }

  /** How often the connection should tick: a quarter of the shorter bound, 10 ms to 1 s. */
  long tickNanos() {
    return Math.max(10_000_000L, Math.min(1_000_000_000L,
        Math.min(intervalNanos, timeoutNanos) / 4));
  }

  /** A frame arrived at {@code now}. */
  void heard(long now) {
    lastHeard = now;
  }

  /**
   * One tick at {@code now}. On {@link Verdict#SEND_PING}, send a PING carrying
   * {@link #pingValue()}.
   */
  synchronized Verdict tick(long now, boolean callsPending) {
    if (pingOutstanding) {
      return now - pingSentAt >= timeoutNanos ? Verdict.DEAD : Verdict.NOTHING;
    }
    if (!callsPending || now - lastHeard < intervalNanos) {
      return Verdict.NOTHING;
    }
    pingOutstanding = true;
    pingSentAt = now;
    pingValue = now;
    return Verdict.SEND_PING;
  }

  /** The value of the PING to send (the PONG must echo it). */
  synchronized long pingValue() {
    return pingValue;
  }

  /** A PONG arrived: it answers the outstanding PING if it echoes its value. */
  synchronized void pong(long value) {
    if (pingOutstanding && value == pingValue) {
      pingOutstanding = false;
    }
  }

  /** How long the outstanding PING has gone unanswered at {@code now}, in milliseconds. */
  synchronized long unansweredMillis(long now) {
    return pingOutstanding ? (now - pingSentAt) / 1_000_000L : 0;
  }
}
