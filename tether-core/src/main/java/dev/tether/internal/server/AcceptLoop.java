package dev.tether.internal.server;

import dev.tether.internal.time.Clock;
import dev.tether.internal.transport.Link;
import dev.tether.internal.transport.Listener;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One listener's accepting thread. It survives failures to accept: when the process runs out of
 * descriptors (EMFILE), memory or threads, the pending connection stays in the kernel's backlog,
 * so retrying at once would spin; instead the loop pauses (5 ms, doubling up to 1 s), retries,
 * and logs once per episode (a warning when it starts, a note when accepting works again;
 * failures within 10 s of a recovery count as the same episode). So a
 * bound port always accepts again once resources are back. A listener that is broken for good (it
 * was closed under the server, or fails in a way no retry can mend) is closed, counted in the
 * server's statistics and logged as an error, so a port is never left bound and deaf.
 *
 * <p>While peers keep failing their connections, the loop holds off before each accept for as
 * long as the server's {@link FailedConnectionPacing} says (logged once per episode), so such
 * peers wait in the kernel's backlog instead of costing threads and cores.
 *
 * <p>Thread safety: runs on its own thread; {@link #wake()} may be called from any thread.
 */
final class AcceptLoop implements Runnable {
  static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  static final long MAX_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** Failures this soon after a recovery are not warned about again (the same episode). */
  static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** What the loop tells its server. */
  interface Sink {
    /** A new connection; may throw (no thread could be started): the link is then closed. */
    void accepted(Link link);

    /** An accept failed and will be retried. */
    void acceptFailed();

    /** How long to wait before the next accept because connections keep failing; 0: none. */
    long acceptHoldNanos();

    /** The listener is broken for good and was closed. */
    void listenerBroken(Listener listener, Throwable why);

    /** Logs at {@code level}. */
    void log(System.Logger.Level level, String message);
  }

  private final Listener listener;
  private final BooleanSupplier stopped;
  private final Sink sink;
  private final Object pause = new Object();

  AcceptLoop(Listener listener, BooleanSupplier stopped, Sink sink) {
    this.listener = listener;
    this.stopped = stopped;
    this.sink = sink;
  }

  @Override
  public void run() {
    long pauseNanos = 0;
    long failures = 0;
    long episodeStart = 0;
    boolean warned = false;
    long lastRecovery = Clock.system().nanoTime() - QUIET_NANOS;
    while (!stopped.getAsBoolean()) {
      waitOutHold();
      if (stopped.getAsBoolean()) {
        return;
      }
      Link link;
      try {
        link = listener.accept();
      } catch (IOException | RuntimeException | OutOfMemoryError e) {
        if (stopped.getAsBoolean()) {
          return;
        }
        if (e instanceof java.nio.channels.ClosedChannelException
            || e instanceof java.nio.channels.NotYetBoundException
            || e instanceof IllegalStateException) {
          listener.close(); // closed under us or never usable: no retry can mend it
          sink.listenerBroken(listener, e);
          return;
        }
        sink.acceptFailed();
        if (failures++ == 0) {
          episodeStart = Clock.system().nanoTime();
        }
        // One warning per episode; a relapse soon after a recovery belongs to the same one.
        if (!warned && Clock.system().nanoTime() - lastRecovery >= QUIET_NANOS) {
          warned = true;
          sink.log(System.Logger.Level.WARNING, "cannot accept connections on "
              + listener.endpoint() + ": " + e + "; retrying with pauses of up to "
              + TimeUnit.NANOSECONDS.toMillis(MAX_PAUSE_NANOS) + " ms until it works again");
        }
        pauseNanos = pauseNanos == 0 ? FIRST_PAUSE_NANOS : Math.min(2 * pauseNanos,
            MAX_PAUSE_NANOS);
        sleep(pauseNanos);
        continue;
      }
      if (failures > 0) {
        if (warned) {
          sink.log(System.Logger.Level.INFO, "accepting again on " + listener.endpoint()
              + " after " + failures + " failed attempts over "
              + TimeUnit.NANOSECONDS.toMillis(Clock.system().nanoTime() - episodeStart) + " ms");
          warned = false;
          lastRecovery = Clock.system().nanoTime();
        }
        failures = 0;
        pauseNanos = 0;
      }
      // The hold was checked before accept() blocked; failures counted since (the connections
      // just before this one failing) hold this connection too, or one would slip through each
      // time. It waits accepted, the rest wait in the backlog.
      waitOutHold();
      if (stopped.getAsBoolean()) {
        link.close();
        return;
      }
      try {
        sink.accepted(link);
      } catch (RuntimeException | OutOfMemoryError e) { // e.g. no thread could be started
        link.close();
        sink.acceptFailed();
        sink.log(System.Logger.Level.WARNING, "dropped a connection on " + listener.endpoint()
            + ": " + e);
        sleep(FIRST_PAUSE_NANOS);
      }
    }
  }

  /** When the last "slowing down" warning was logged; the loop's thread only. */
  private long lastHoldWarning = Clock.system().nanoTime() - QUIET_NANOS;

  /**
   * Waits while connections keep failing ({@link Sink#acceptHoldNanos}), logging one warning per
   * episode at most every {@code QUIET_NANOS}; returns at once when the server stops.
   */
  private void waitOutHold() {
    boolean warned = false;
    for (long h; (h = sink.acceptHoldNanos()) > 0 && !stopped.getAsBoolean(); ) {
      long now = Clock.system().nanoTime();
      if (!warned && now - lastHoldWarning >= QUIET_NANOS) {
        lastHoldWarning = now;
        sink.log(System.Logger.Level.WARNING, "slowing down accepting on " + listener.endpoint()
            + ": many connections failed (protocol errors, failed authentication or "
            + "handshakes; see failedConnectionRate); new connections wait their turn");
      }
      warned = true;
      sleep(Math.min(h, MAX_PAUSE_NANOS));
    }
  }

  /** Ends a pause early (the server is closing). */
  void wake() {
    synchronized (pause) {
      pause.notifyAll();
    }
  }

  private void sleep(long nanos) {
    synchronized (pause) {
      if (stopped.getAsBoolean()) {
        return;
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(pause, nanos);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
