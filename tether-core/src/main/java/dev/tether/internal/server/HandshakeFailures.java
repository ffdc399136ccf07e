package dev.tether.internal.server;

import dev.tether.internal.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts peers refused because they could not be authenticated and logs them, at most one line a
 * second (a scan or a flood would otherwise fill the log): the first failure of a second is logged
 * with its peer and reason, the rest are counted and reported with the next line. Reasons never
 * hold secrets (they come from the TLS layer's descriptions: "the client's certificate is not
 * trusted"). Thread-safe and lock-free.
 */
final class HandshakeFailures {
  private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final System.Logger log;
  private final AtomicLong count = new AtomicLong();
  private final AtomicLong lastLogged = new AtomicLong(Clock.system().nanoTime() - QUIET_NANOS);
  private final AtomicLong unlogged = new AtomicLong();

  HandshakeFailures(System.Logger log) {
    this.log = log;
  }

  /** A peer failed to authenticate. */
  void failed(String peer, String why) {
    count.incrementAndGet();
    long now = Clock.system().nanoTime();
    long last = lastLogged.get();
    if (now - last < QUIET_NANOS || !lastLogged.compareAndSet(last, now)) {
      unlogged.incrementAndGet();
      return;
    }
    long more = unlogged.getAndSet(0);
    log.log(System.Logger.Level.WARNING, "refused " + peer + ": " + why
        + (more > 0 ? " (and " + more + " more authentication failures since the last report)"
            : ""));
  }

  /** Failures since start. */
  long count() {
    return count.get();
  }
}
