package dev.tether.internal.cancel;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the {@code onCancel} callbacks of cancelled {@link CancelNode}s off the cancelling thread,
 * without a thread per node.
 *
 * <p>A bulk cancel (a client cancelling 10,000 calls, each CANCEL frame cancelling one served
 * call) used to start a virtual thread per node; starting and scheduling it cost more than the
 * callback itself and doubled the server's work per cancel. Now each cancelled node's callbacks
 * are one job in a queue, and a virtual thread (a drainer) runs queued jobs one after another; it
 * is started when the first job arrives and ends when the queue is empty.
 *
 * <p>User callbacks may block. So that one blocked callback never holds up other nodes'
 * callbacks, a job queued while every drainer is busy arms a check on the timer thread: if no job
 * started within {@link #RELAY_NANOS} while jobs wait, it starts one more drainer (and checks
 * again while jobs still wait). A callback that blocks thus delays the others by about a
 * millisecond, once.
 *
 * <p>Thread-safe and lock-free. The queue holds at most one job per cancelled node whose
 * callbacks have not run yet, so it is bounded by the nodes alive (calls, scopes).
 */
final class CallbackRunner {
  /** How long queued jobs may wait with no job starting before another drainer starts. */
  static final long RELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  static final CallbackRunner INSTANCE = new CallbackRunner();

  private final ConcurrentLinkedQueue<Runnable> jobs = new ConcurrentLinkedQueue<>();
  private final AtomicInteger drainers = new AtomicInteger();
  /** Jobs started so far: the relay check's measure of progress. */
  private final AtomicLong started = new AtomicLong();
  private final AtomicBoolean checkArmed = new AtomicBoolean();

  private CallbackRunner() {}

  /** Runs {@code job} soon on a virtual thread, never on this one. */
  void submit(Runnable job) {
    jobs.add(job);
    if (drainers.get() == 0 && drainers.compareAndSet(0, 1)) {
      startDrainer();
    } else {
      armCheck();
    }
  }

  private void armCheck() {
    if (checkArmed.compareAndSet(false, true)) {
      long seen = started.get();
      Timers.schedule(() -> check(seen), RELAY_NANOS);
    }
  }

  /** Timer thread: starts a drainer if jobs wait and none started since {@code seen}. Short. */
  private void check(long seen) {
    checkArmed.set(false);
    if (jobs.isEmpty()) {
      return;
    }
    if (started.get() == seen) { // every drainer is stuck in a job (or not scheduled yet)
      drainers.incrementAndGet();
      startDrainer();
    }
    armCheck(); // jobs still wait: look again
  }

  private void startDrainer() {
    Thread.ofVirtual().name("tether-on-cancel").start(this::drain);
  }

  private void drain() {
    do {
      Runnable job;
      while ((job = jobs.poll()) != null) {
        started.incrementAndGet();
        try {
          job.run();
        } catch (Throwable t) { // jobs log their own failures; never lose the drainer
          Thread.currentThread().getUncaughtExceptionHandler()
              .uncaughtException(Thread.currentThread(), t);
        }
      }
      drainers.decrementAndGet();
      // A job queued after the last poll and before the decrement saw a drainer and only armed
      // the check: take it over unless another drainer is running.
    } while (!jobs.isEmpty() && drainers.compareAndSet(0, 1));
  }
}
