package dev.tether;

import dev.tether.internal.pool.WorkerPool;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Many worker processes behind one handle, for parallel or risky work. {@link #get} returns a
 * proxy whose every call goes to a worker with room for it: the pool starts its minimum of workers
 * at once, more on demand up to its maximum, recycles a worker after a number of calls (its
 * replacement is started first, so no caller waits for a JVM), closes workers idle above the
 * minimum, checks a worker that has been idle before reusing it, and never hands out a worker that
 * is busy, including with a call whose caller was released but which has not answered.
 *
 * <pre>{@code
 * try (TetherPool pool = TetherPool.start(PoolSpec.builder(workerSpec).maxWorkers(4).build())) {
 *   Converter converter = pool.get(Converter.class, "converter");
 *   converter.convert(doc); // from any number of threads
 * }
 * }</pre>
 *
 * <p>A caller that finds every worker busy waits, in order of arrival, bounded by the spec's
 * {@linkplain PoolSpec#maxWait() maximum wait} (then a {@link TetherException} with
 * {@link ErrorCode#POOL_EXHAUSTED}) and by its own deadline or scope; a cancel of its thread
 * ({@link Cancellation#cancel(Thread, Duration)}) or an interrupt releases it too. A call that
 * waited and was cancelled was never sent ({@link CallCancelledException.Outcome#NOT_SENT}).
 * Otherwise calls behave exactly as with one {@link Tether}: the call runs on the caller's thread,
 * under its scope, deadline and cancellation; asynchronous methods hold their worker until their
 * future completes.
 *
 * <p>Thread-safe. The lifecycle is an executor's: {@link #shutdown()}, {@link #shutdownNow()},
 * {@link #awaitTermination(Duration)}, and {@link #close()} for try-with-resources.
 */
public final class TetherPool implements AutoCloseable {
  private final WorkerPool pool;
  private final PoolSpec spec;

  private TetherPool(WorkerPool pool, PoolSpec spec) {
    this.pool = pool;
    this.spec = spec;
  }

  /**
   * Starts a pool: launches its minimum of workers in parallel and waits for them.
   *
   * @throws WorkerStartException when one of them cannot start (the others are closed)
   */
  public static TetherPool start(PoolSpec spec) {
    return start(spec, System::nanoTime);
  }

  /** Like {@link #start(PoolSpec)} with a replaceable clock for idleness, for tests. */
  static TetherPool start(PoolSpec spec, LongSupplier clock) {
    Objects.requireNonNull(spec, "spec");
    // the pool replaces dead and hung workers itself: their handles must not restart them
    WorkerSpec worker = spec.worker().withSupervision(SupervisionPolicy.none());
    Duration stopBound = worker.shutdownTimeout().multipliedBy(2).plusSeconds(5);
    WorkerPool pool = WorkerPool.start(spec, () -> new LaunchedWorker(Tether.launch(worker)),
        clock, stopBound);
    return new TetherPool(pool, spec);
  }

  /**
   * A proxy for the object every worker exports as {@code name}. When a worker is running, checks
   * the interface and asks that worker, like {@link Tether#get}; later calls return the same proxy.
   * Workers started later resolve it before they take calls.
   *
   * @throws IllegalArgumentException when the interface is unusable
   * @throws TetherException with {@link ErrorCode#NOT_FOUND} or {@link ErrorCode#INCOMPATIBLE}
   */
  public <T> T get(Class<T> iface, String name) {
    Objects.requireNonNull(iface, "iface");
    Objects.requireNonNull(name, "name");
    return pool.get(iface, name);
  }

  /** A snapshot of the pool's workers, calls and counters. */
  public PoolStats stats() {
    return pool.stats();
  }

  /** The spec the pool runs. */
  public PoolSpec spec() {
    return spec;
  }

  /**
   * Stops taking calls: later calls fail with {@link ConnectionClosedException}; callers already
   * waiting are still served; running calls finish; then every worker is closed. Idempotent.
   */
  public void shutdown() {
    pool.shutdown();
  }

  /**
   * Stops at once: later calls and waiting callers fail with {@link ConnectionClosedException},
   * every worker is closed now and the calls running on it fail the same way. Idempotent.
   */
  public void shutdownNow() {
    pool.shutdownNow();
  }

  /**
   * Waits up to {@code timeout} for the pool to terminate after a shutdown.
   *
   * @return true when every worker is closed
   * @throws InterruptedException when interrupted while waiting
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return pool.awaitTermination(Objects.requireNonNull(timeout, "timeout"));
  }

  /** True once {@link #shutdown()} or {@link #shutdownNow()} was called. */
  public boolean isShutdown() {
    return pool.isShutdown();
  }

  /** True once shut down and every worker is gone. */
  public boolean isTerminated() {
    return pool.isTerminated();
  }

  /**
   * Shuts down, lets running calls finish for the spec's {@linkplain PoolSpec#closeTimeout() close
   * timeout}, then stops everything and waits (bounded by the workers' shutdown timeout) until the
   * workers are gone. Idempotent.
   */
  @Override
  public void close() {
    pool.close();
  }

  /** Runs the pool's upkeep now (idleness, dead and hung workers); for tests with a fake clock. */
  void runUpkeep() {
    pool.maintain();
  }

  @Override
  public String toString() {
    return "TetherPool[" + spec.name() + ", " + stats() + "]";
  }
}
