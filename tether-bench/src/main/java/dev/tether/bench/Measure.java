package dev.tether.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** The measurement loops every system shares. All waits are bounded. */
public final class Measure {
  private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

  private Measure() {}

  /** One remote call. */
  @FunctionalInterface
  public interface Call {
    /** Makes the call. */
    void call() throws Exception;
  }

  /** Latency of {@code call} on this thread: {@code warmup} untimed calls, then the samples. */
  public static Histogram latency(BenchPlan plan, Call call) throws Exception {
    for (int i = 0; i < plan.warmup(); i++) {
      call.call();
    }
    Histogram h = new Histogram();
    for (int i = 0; i < plan.samples(); i++) {
      long t0 = System.nanoTime();
      call.call();
      h.add(System.nanoTime() - t0);
    }
    return h;
  }

  /** How long a quick run's throughput window may grow while no call has completed yet. */
  static final long QUICK_EXTENSION_SECONDS = 30;

  /**
   * Extends a timed window that began at {@code t0} (a {@link System#nanoTime} reading) until one
   * call has completed ({@code done} above 0) or a caller failed, at most
   * {@link #QUICK_EXTENSION_SECONDS} from {@code t0}: a window with no call in it would give a
   * rate of 0 (or a ratio of 0 or infinity) that says only that a JVM was still interpreting.
   */
  static void awaitFirstCall(LongAdder done, AtomicReference<Throwable> failure, long t0)
      throws InterruptedException {
    long extendUntil = t0 + TimeUnit.SECONDS.toNanos(QUICK_EXTENSION_SECONDS);
    while (done.sum() == 0 && failure.get() == null && System.nanoTime() - extendUntil < 0) {
      Thread.sleep(1);
    }
  }

  /**
   * Calls per second with {@code threads} platform threads calling {@code call} in a loop: a warm-up
   * period, then the timed period (in a quick run, extended until one call completed, at most
   * {@link #QUICK_EXTENSION_SECONDS}). Returns {completed calls per second, completed calls}.
   */
  public static double[] throughput(BenchPlan plan, int threads, Call call) throws Exception {
    AtomicBoolean counting = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    LongAdder done = new LongAdder();
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      workers.add(Thread.ofPlatform().daemon().name("bench-caller-" + i).start(() -> {
        try {
          while (!stop.get()) {
            call.call();
            if (counting.get()) {
              done.increment();
            }
          }
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
          stop.set(true);
        }
      }));
    }
    try {
      Thread.sleep(plan.throughputWarmupMillis());
      counting.set(true);
      long t0 = System.nanoTime();
      Thread.sleep(plan.throughputMillis());
      // a quick run checks structure, not numbers: on a loaded machine its JVMs may still be
      // interpreting after the short warm-up, and a 300 ms window can end before the first call
      // does (seen in CI at load 10). It waits for one call, bounded: a real hang still shows as 0
      if (plan.quick()) {
        awaitFirstCall(done, failure, t0);
      }
      long calls = done.sum();
      long elapsed = System.nanoTime() - t0;
      counting.set(false);
      if (failure.get() != null) {
        throw new IllegalStateException("a caller failed: " + failure.get(), failure.get());
      }
      return new double[] {calls * 1e9 / elapsed, calls};
    } finally {
      stop.set(true);
      for (Thread w : workers) {
        w.join(TimeUnit.NANOSECONDS.toMillis(WAIT_NANOS));
      }
    }
  }

  /**
   * A call that a second thread cancels: {@link #cancelLatency} runs {@link #call} on a caller
   * thread and {@link #cancel} on the measuring thread once the server method signalled.
   */
  public interface CancelProbe {
    /**
     * Caller thread: makes call number {@code seq}, whose server method signals {@code seq} through
     * the {@link StartSignal} and then waits for its cancel; returns the {@link System#nanoTime()}
     * the metric ends at (when the caller was released, or when the server saw the cancel), or -1
     * to discard the sample.
     */
    long call(int seq) throws Exception;

    /** Cancels the call pending on {@code caller}. */
    void cancel(Thread caller) throws Exception;
  }

  /**
   * Cancel latencies and how many calls were discarded because they ended some other way (for
   * example the cancel reached the server before the server method ran).
   */
  public record CancelSamples(Histogram histogram, int discarded) {
    /** A note for the row: what was measured, and the discards if any. */
    public String note(String what) {
      return discarded == 0 ? what : what + "; " + discarded + " call(s) discarded";
    }
  }

  /**
   * Samples of (end time reported by the caller) minus (time just before the cancel). Before each
   * cancel the measuring thread waits until the server method signals that it runs.
   */
  public static CancelSamples cancelLatency(BenchPlan plan, StartSignal signal, CancelProbe probe)
      throws Exception {
    return cancelLatency(plan.cancelWarmup(), plan.samples(), 0, signal, probe);
  }

  /**
   * Like {@link #cancelLatency(BenchPlan, StartSignal, CancelProbe)} with {@code warmup} untimed
   * and {@code samples} timed cancels, each issued {@code pendingMillis} after the server method
   * signalled that it runs (0: at once, while both sides still poll; 50: cold, both asleep).
   */
  public static CancelSamples cancelLatency(int warmup, int samples, long pendingMillis,
      StartSignal signal, CancelProbe probe) throws Exception {
    int total = warmup + samples;
    int base = (int) signal.get();
    BlockingQueue<Long> ends = new ArrayBlockingQueue<>(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicBoolean stop = new AtomicBoolean();
    // The measuring thread hands out one permit per call, so the caller never starts a call that
    // nobody will cancel. The caller is never interrupted: an interrupt during a socket write
    // would close the channel under every other call on the connection.
    Semaphore go = new Semaphore(0);
    Thread caller = Thread.ofPlatform().daemon().name("bench-cancel-caller").start(() -> {
      for (int k = 1; ; k++) {
        try {
          if (!go.tryAcquire(60, TimeUnit.SECONDS) || stop.get()) {
            return;
          }
        } catch (InterruptedException e) {
          return;
        }
        long end;
        try {
          end = probe.call(base + k);
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
          end = Long.MIN_VALUE;
        }
        if (!ends.offer(end) || end == Long.MIN_VALUE) {
          return;
        }
      }
    });
    Histogram h = new Histogram();
    int discarded = 0;
    try {
      for (int k = 1, i = 0; i < total; k++) {
        long seq = base + k;
        go.release();
        waitFor(() -> signal.get() == seq || !ends.isEmpty(), "the server method to start");
        Long end;
        long t0 = 0;
        if (signal.get() == seq) {
          if (pendingMillis > 0) {
            Thread.sleep(pendingMillis); // the call stays pending; its threads fall asleep
          }
          t0 = System.nanoTime();
          probe.cancel(caller);
          end = ends.poll(30, TimeUnit.SECONDS);
          if (end == null) {
            throw new TimeoutException("the cancelled call did not end within 30 s");
          }
        } else {
          end = ends.take(); // it ended before its server method started: not a sample
          end = end == Long.MIN_VALUE ? end : -1;
        }
        if (end == Long.MIN_VALUE) {
          break;
        }
        if (end < 0) {
          if (++discarded > total / 2 + 20) {
            throw new IllegalStateException("too many discarded samples: " + discarded);
          }
          continue;
        }
        if (i >= warmup) {
          h.add(end - t0);
        }
        i++;
      }
      if (failure.get() != null) {
        Throwable t = failure.get();
        throw new IllegalStateException("the caller failed: " + t, t);
      }
      return new CancelSamples(h, discarded);
    } finally {
      stop.set(true);
      go.release();
      caller.join(5_000);
    }
  }

  /** Pending calls that can all be cancelled at once: {@code cancel_10k}. */
  public interface PendingProbe {
    /** Tells the server to expect {@code n} calls and cancels. */
    void reset(int n) throws Exception;

    /** Starts one pending call; runs {@code released} when its caller is released. */
    void start(Runnable released) throws Exception;

    /** The server's counts. */
    CancelProgress progress() throws Exception;

    /** Cancels every started call. */
    void cancelAll() throws Exception;

    /** Forgets the calls. */
    void clear();
  }

  /** One {@code cancel_10k} round: {release nanos, observe nanos, client bytes per pending call}. */
  public static double[] pendingRound(int n, PendingProbe probe) throws Exception {
    probe.reset(n);
    AtomicInteger released = new AtomicInteger();
    long[] allReleasedAt = new long[1];
    Runnable onRelease = () -> {
      long now = System.nanoTime();
      if (released.incrementAndGet() == n) {
        synchronized (allReleasedAt) {
          allReleasedAt[0] = now;
        }
      }
    };
    try {
      long before = usedHeapAfterGc();
      for (int i = 0; i < n; i++) {
        probe.start(onRelease);
      }
      waitForProgress(probe, p -> p.started() >= n, "all " + n + " calls to reach the server");
      long after = usedHeapAfterGc();
      long t0 = System.nanoTime();
      probe.cancelAll();
      waitFor(() -> released.get() >= n, "every caller to be released (" + n + ")");
      long releasedAt;
      synchronized (allReleasedAt) {
        releasedAt = allReleasedAt[0];
      }
      CancelProgress p = waitForProgress(probe, q -> q.observed() >= n && q.reachedAtNanos() != 0,
          "the server to see all " + n + " cancels");
      return new double[] {releasedAt - t0, p.reachedAtNanos() - t0, (after - before) / (double) n};
    } finally {
      probe.clear();
    }
  }

  private static CancelProgress waitForProgress(PendingProbe probe,
      java.util.function.Predicate<CancelProgress> done, String what) throws Exception {
    long deadline = System.nanoTime() + 2 * WAIT_NANOS;
    CancelProgress p = probe.progress();
    while (!done.test(p)) {
      if (System.nanoTime() - deadline > 0) {
        throw new TimeoutException("timed out waiting for " + what + ": " + p);
      }
      Thread.sleep(2);
      p = probe.progress();
    }
    return p;
  }

  /** Spins (yielding) until {@code condition} holds, at most 30 s. */
  public static void waitFor(BooleanSupplier condition, String what) throws TimeoutException {
    long deadline = System.nanoTime() + WAIT_NANOS;
    int spins = 0;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new TimeoutException("timed out waiting for " + what);
      }
      if (++spins < 100) {
        Thread.onSpinWait();
      } else if (spins < 10_000) {
        Thread.yield();
      } else {
        LockSupport.parkNanos(100_000);
      }
    }
  }

  /** Used heap after full collections, in bytes. */
  public static long usedHeapAfterGc() throws InterruptedException {
    var memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      memory.gc();
      Thread.sleep(20);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
