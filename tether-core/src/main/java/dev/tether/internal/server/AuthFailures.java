package dev.tether.internal.server;

import dev.tether.internal.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts peers the server refused because they could not be authenticated (a Unix peer the policy
 * does not admit, a failed shared-secret or TLS handshake), and logs them without flooding: the
 * first refusal, then at most one line per {@link #LOG_EVERY_NANOS} saying how many more there
 * were. Messages name the peer and the reason, never a secret or a proof (TLS reasons come from
 * the TLS layer's descriptions: "the client's certificate is not trusted").
 *
 * <p>Thread-safe: an atomic counter and an atomic time of the last line.
 */
final class AuthFailures {
  static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final System.Logger LOG = System.getLogger("dev.tether.security");

  private final AtomicLong count = new AtomicLong();
  private final AtomicLong lastLogged = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong unlogged = new AtomicLong();
  private final Clock clock;
  private final java.util.function.Consumer<String> log;

  AuthFailures(Clock clock) {
    this(clock, line -> LOG.log(System.Logger.Level.WARNING, line));
  }

  /** Writes its lines to {@code log} (tests). */
  AuthFailures(Clock clock, java.util.function.Consumer<String> log) {
    this.clock = clock;
    this.log = log;
  }

  /** One more peer refused, for {@code why} (which names the peer). */
  void refused(String why) {
    count.incrementAndGet();
    long now = clock.nanoTime();
    long last = lastLogged.get();
    if ((last == Long.MIN_VALUE || now - last >= LOG_EVERY_NANOS)
        && lastLogged.compareAndSet(last, now)) {
      long more = unlogged.getAndSet(0);
      log.accept("refused an unauthenticated peer: " + why
          + (more > 0 ? " (and " + more + " more since the last such message)" : ""));
    } else {
      unlogged.incrementAndGet();
    }
  }

  /** Peers refused since the server started. */
  long count() {
    return count.get();
  }
}
