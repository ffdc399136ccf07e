package dev.tether.internal.supervise;

import dev.tether.OrphanedCall;
import dev.tether.TetherAdmin;
import dev.tether.internal.cancel.Timers;
import dev.tether.internal.client.ClientConnection;
import dev.tether.internal.client.RemoteObjectHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Finds calls that keep running on a worker after their caller gave up. The client knows which
 * calls it released without an answer (the connection counts them); the worker knows which of
 * those still run (its admin object lists orphans, with how long ago their caller left). So:
 * while the connection has never released a call, nothing is asked; once it has, every check
 * asks the worker's {@code tether.admin} for its orphans (on a virtual thread, bounded, over a
 * side connection of its own so the handle's calls and counts are untouched), until the worker
 * reports none. An orphan older than the limit is a hung call. A worker whose admin
 * object does not answer within the bound while calls are orphaned cannot serve either: hung too.
 *
 * <p>One watch per worker; the timer task only starts a check, never blocks.
 */
final class HungCallWatch {
  /** What the supervisor hears. */
  interface Listener {
    void hung(WorkerInstance worker, String detail);
  }

  private final WorkerInstance worker;
  private final long limitNanos;
  private final Duration adminTimeout;
  private final Listener listener;
  private final AtomicBoolean checking = new AtomicBoolean();
  private final ScheduledFuture<?> task;
  private long releasedSeen;
  private volatile boolean orphansLastTime;
  // the side connection and its proxy: guarded by "this"
  private boolean cancelled;
  private ClientConnection side;
  private TetherAdmin admin;

  HungCallWatch(WorkerInstance worker, Duration limit, Listener listener) {
    this.worker = worker;
    this.limitNanos = limit.toNanos();
    this.adminTimeout = Duration.ofMillis(Math.max(1000, Math.min(5000, limit.toMillis())));
    this.listener = listener;
    long period = Math.max(50_000_000L, Math.min(1_000_000_000L, limitNanos / 4));
    this.task = Timers.scheduleAtFixedRate(this::tick, period);
  }

  /** Stops watching and closes the side connection. */
  void cancel() {
    task.cancel(false);
    ClientConnection s;
    synchronized (this) {
      cancelled = true;
      s = side;
      side = null;
      admin = null;
    }
    if (s != null) {
      s.close();
    }
  }

  /** The admin object over the side connection, opened on first need; null once cancelled. */
  private TetherAdmin admin() throws IOException {
    synchronized (this) {
      if (cancelled) {
        return null;
      }
      if (side != null && side.isOpen()) {
        return admin;
      }
    }
    ClientConnection s = worker.openSideConnection();
    TetherAdmin a;
    try {
      a = RemoteObjectHandler.proxy(s, TetherAdmin.class, TetherAdmin.NAME);
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
    ClientConnection old;
    synchronized (this) {
      if (cancelled) {
        old = s;
        a = null;
      } else {
        old = side;
        side = s;
        admin = a;
      }
    }
    if (old != null) {
      old.close();
    }
    return a;
  }

  private void tick() {
    ClientConnection c = worker.connection();
    if (!c.isOpen() || c.releasedCalls() == 0 && !orphansLastTime) {
      return;
    }
    if (checking.compareAndSet(false, true)) {
      Thread.ofVirtual().name("tether-hung-check").start(() -> {
        try {
          check(c);
        } finally {
          checking.set(false);
        }
      });
    }
  }

  private void check(ClientConnection c) {
    long released = c.releasedCalls();
    if (released == releasedSeen && !orphansLastTime) {
      return;
    }
    releasedSeen = released;
    List<OrphanedCall>[] answer = askForOrphans(c);
    if (answer == null) {
      return; // the connection failed meanwhile: the supervisor hears of that
    }
    if (answer[0] == null) {
      listener.hung(worker, "its admin object did not answer within " + adminTimeout
          + " while calls whose callers gave up were still running");
      return;
    }
    List<OrphanedCall> orphans = answer[0];
    orphansLastTime = !orphans.isEmpty();
    for (OrphanedCall o : orphans) {
      if (o.sinceCallerLeft().toNanos() >= limitNanos) {
        listener.hung(worker, "call " + o.method() + " was still running "
            + o.sinceCallerLeft().toMillis() + " ms after its caller gave up (limit "
            + Duration.ofNanos(limitNanos) + "; " + orphans.size() + " orphaned call(s))");
        return;
      }
    }
  }

  /** {orphans}, {null} when the admin object did not answer in time, null if the link failed. */
  @SuppressWarnings("unchecked")
  private List<OrphanedCall>[] askForOrphans(ClientConnection c) {
    List<OrphanedCall>[] result = new List[1];
    RuntimeException[] failure = new RuntimeException[1];
    Thread t = Thread.ofVirtual().name("tether-admin-orphans").start(() -> {
      try {
        TetherAdmin a = admin();
        if (a == null) {
          failure[0] = new IllegalStateException("no longer watching");
          return;
        }
        result[0] = a.orphans();
      } catch (RuntimeException e) {
        failure[0] = e;
      } catch (IOException e) {
        failure[0] = new java.io.UncheckedIOException(e);
      }
    });
    try {
      if (!t.join(adminTimeout)) {
        t.interrupt(); // cancels the admin call with no grace
        t.join(adminTimeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
    if (failure[0] != null) {
      synchronized (this) {
        if (cancelled) {
          return null;
        }
      }
      return c.isOpen() ? result : null;
    }
    return result;
  }
}
