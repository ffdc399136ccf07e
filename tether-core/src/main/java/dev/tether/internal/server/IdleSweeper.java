package dev.tether.internal.server;

import dev.tether.internal.cancel.Timers;
import dev.tether.internal.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes connections that have been idle for the server's idle timeout: one periodic task on the
 * shared timer (a quarter of the timeout, between 10 ms and 1 s) looks at every connection; a
 * connection decides itself whether it is idle ({@link ServerConnection#goAwayIfIdle}) and, if
 * so, says GOAWAY and closes on a virtual thread, never on the timer. Nothing runs when the
 * timeout is zero.
 *
 * <p>Thread-safe.
 */
final class IdleSweeper {
  private final ScheduledFuture<?> task;

  IdleSweeper(Iterable<ServerConnection> connections, Duration idleTimeout) {
    if (idleTimeout.isZero()) {
      task = null;
      return;
    }
    long idleNanos = idleTimeout.toNanos();
    long period = Math.max(TimeUnit.MILLISECONDS.toNanos(10),
        Math.min(idleNanos / 4, TimeUnit.SECONDS.toNanos(1)));
    task = Timers.scheduleAtFixedRate(() -> {
      long now = Clock.system().nanoTime();
      for (ServerConnection c : connections) {
        c.goAwayIfIdle(now, idleNanos);
      }
    }, period);
  }

  void stop() {
    if (task != null) {
      task.cancel(false);
    }
  }
}
