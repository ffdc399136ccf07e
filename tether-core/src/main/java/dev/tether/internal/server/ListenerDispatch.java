package dev.tether.internal.server;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a server's call-listener notifications that must not run where their call ended: calls
 * served inline on a connection's reader, and calls the reader refused before dispatch. One
 * thread per server ({@code tether-call-listener}, a platform daemon) runs them in the order they
 * were submitted, so each call's {@code started}, {@code cancelled} and {@code ended} (submitted
 * as one task) stay in order.
 *
 * <p>Bounded, and the submitter never waits: at most {@link #CAPACITY} tasks queue; beyond that a
 * task is dropped and counted ({@link #dropped()}), with one WARNING per episode. Why not wake
 * the thread for every task: waking a sleeping thread costs the waker a system call of several
 * microseconds, a large share of a round trip, and the reader would pay it on every call. So
 * the thread polls the queue every {@link #POLL_NANOS} while tasks keep coming (a notification
 * is late by at most about a millisecond), and ends after {@link #IDLE_POLLS} empty polls; the
 * next submit starts a new one. An idle server therefore holds no thread for it.
 *
 * <p>Thread safety: {@link #submit} from any number of threads.
 */
final class ListenerDispatch {
  /** Tasks queued at most. */
  static final int CAPACITY = 10_000;
  /** How long the thread sleeps between polls while tasks keep coming. */
  static final long POLL_NANOS = 1_000_000;
  /** Empty polls in a row after which the thread ends (about 100 ms idle). */
  static final int IDLE_POLLS = 100;

  private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicBoolean dropping = new AtomicBoolean();
  private final AtomicBoolean startFailing = new AtomicBoolean();
  private final System.Logger log;

  ListenerDispatch(System.Logger log) {
    this.log = log;
  }

  /**
   * Queues {@code task}; never blocks.
   *
   * @return false when the queue was full and the task was dropped (and counted)
   */
  boolean submit(Runnable task) {
    if (queued.incrementAndGet() > CAPACITY) {
      queued.decrementAndGet();
      long n = dropped.incrementAndGet();
      if (dropping.compareAndSet(false, true)) {
        log.log(System.Logger.Level.WARNING, "call listener notifications dropped: "
            + CAPACITY + " are waiting, the listener is slower than calls end (" + n
            + " dropped so far; ServerStats.listenerNotificationsDropped)");
      }
      return false;
    }
    queue.add(task);
    if (!running.get() && running.compareAndSet(false, true)) {
      try {
        Thread.ofPlatform().daemon().name("tether-call-listener").start(this::loop);
      } catch (Throwable t) { // out of threads or memory: the task waits for the next submit
        running.set(false);
        if (startFailing.compareAndSet(false, true)) { // once per episode
          log.log(System.Logger.Level.WARNING, "cannot start the call listener thread: " + t);
        }
      }
    }
    return true;
  }

  /** Notifications dropped because the queue was full. */
  long dropped() {
    return dropped.get();
  }

  private void loop() {
    startFailing.set(false);
    int idle = 0;
    while (true) {
      Runnable task;
      while ((task = queue.poll()) != null) {
        queued.decrementAndGet();
        idle = 0;
        try {
          task.run();
        } catch (Throwable t) { // the tasks guard the listener; this is a last resort
          log.log(System.Logger.Level.WARNING, "call listener notification failed", t);
        }
      }
      dropping.set(false);
      if (++idle > IDLE_POLLS) {
        running.set(false);
        // a submit that saw running == true before the line above started no thread: recheck
        if (queue.isEmpty() || !running.compareAndSet(false, true)) {
          return;
        }
        idle = 0;
        continue;
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }
}
