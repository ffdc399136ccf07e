package dev.tether.internal.server;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where served calls run: each on a platform thread of its own, reused when idle (an idle thread
 * ends after 30 s). How many calls may run at once is decided before, by {@link CallAdmission}.
 *
 * <p>Why never virtual threads: they are not preempted. A method that spins on the CPU without
 * looking at cancellation (exactly the code people isolate in workers) holds its carrier thread
 * for as long as it spins, and there are only as many carriers as cores; a handful of such
 * methods stalled every other virtual thread of the process: new calls, the admin object,
 * deadline timers (issue 9 measured a wedged worker with 72 spinners, 64 platform threads and
 * virtual ones beyond). The OS preempts platform threads, so spinners only share the CPU, and
 * spinning orphans never hold the thread a new call needs: each call gets one.
 *
 * <p>Why a spare: while spinners hold the CPU, starting a thread is slow (the OS schedules a new
 * thread behind every runnable one, and the starter waits for it), whereas waking an idle thread
 * is quick. So a thread about to run a call makes sure one idle thread is left: if none is, it
 * asks the spawner thread to start one, and runs its call at once. A connection's reader hands
 * calls to idle threads and starts one itself only when none is idle.
 *
 * <p>Thread safety: safe for use by many threads.
 */
final class CallExecutor {
  private static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(30);
  private static final AtomicInteger NUMBER = new AtomicInteger();

  private final SynchronousQueue<Runnable> handoff = new SynchronousQueue<>();
  private final Set<Thread> idle = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean spareStarting = new AtomicBoolean();
  private final AtomicInteger busy = new AtomicInteger();
  private final Semaphore spareWanted = new Semaphore(0);
  private final AtomicBoolean spawnerRunning = new AtomicBoolean();
  private volatile Thread spawner;
  private volatile boolean shutdown;

  /**
   * Runs {@code call} on an idle thread, or on a new one if none is idle.
   *
   * @throws RejectedExecutionException after {@link #shutdown()}, or when the OS refuses a new
   *     thread (then the caller must answer the call itself)
   */
  void execute(Runnable call) {
    if (shutdown) {
      throw new RejectedExecutionException("shut down");
    }
    if (!handoff.offer(call)) {
      start(call);
    }
  }

  /** Threads running a call now. */
  int busyThreads() {
    return busy.get();
  }

  /** Refuses new calls and ends idle threads; running calls are not affected. */
  void shutdown() {
    shutdown = true;
    idle.forEach(Thread::interrupt);
    Thread s = spawner;
    if (s != null) {
      s.interrupt();
    }
  }

  private void start(Runnable first) {
    try {
      Thread.ofPlatform().daemon().name("tether-call-" + NUMBER.incrementAndGet())
          .start(() -> work(first));
    } catch (OutOfMemoryError | RuntimeException noThread) { // "unable to create native thread"
      throw new RejectedExecutionException("no thread for the call: " + noThread.getMessage());
    }
  }

  private void work(Runnable first) {
    Runnable task = first;
    while (task != null || (task = awaitTask()) != null) {
      busy.incrementAndGet();
      keepASpare();
      Thread.interrupted(); // a shutdown's interrupt that raced with taking this call
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        // CallRunner answers whatever the method throws; nothing is left to report here
      } finally {
        busy.decrementAndGet();
      }
      Thread.interrupted(); // an interrupt meant for the call must not reach the next one
      task = null;
    }
  }

  /** Waits for the next call while idle; null when idle too long or shut down. */
  private Runnable awaitTask() {
    Thread me = Thread.currentThread();
    idle.add(me);
    spareStarting.set(false);
    try {
      return shutdown ? null : handoff.poll(KEEP_ALIVE_NANOS, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      return null; // shut down
    } finally {
      idle.remove(me);
    }
  }

  /** Before running a call: if no thread is left idle, has one started, so the next call finds it. */
  private void keepASpare() {
    if (idle.isEmpty() && !shutdown && spareStarting.compareAndSet(false, true)) {
      spareWanted.release();
      ensureSpawner();
    }
  }

  private void ensureSpawner() {
    if (spawnerRunning.compareAndSet(false, true)) {
      try {
        spawner = Thread.ofPlatform().daemon().name("tether-call-spawner").start(this::spawn);
      } catch (OutOfMemoryError | RuntimeException noThread) {
        spawnerRunning.set(false);
        spareStarting.set(false); // the next call starts its own thread
      }
    }
  }

  /** The spawner's loop: starts a spare thread when asked; ends after 30 s without a request. */
  private void spawn() {
    try {
      while (!shutdown && spareWanted.tryAcquire(KEEP_ALIVE_NANOS, TimeUnit.NANOSECONDS)) {
        spareWanted.drainPermits();
        try {
          start(null);
        } catch (RejectedExecutionException e) {
          spareStarting.set(false); // the next call starts its own thread
        }
      }
    } catch (InterruptedException e) {
      // shut down
    } finally {
      spawner = null;
      spawnerRunning.set(false);
      if (!shutdown && spareWanted.availablePermits() > 0) {
        ensureSpawner(); // asked for a spare while ending
      }
    }
  }
}
