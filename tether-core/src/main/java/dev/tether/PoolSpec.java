package dev.tether;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link TetherPool#start(PoolSpec)} runs: the worker every member of the pool is launched
 * from, how many workers and how many calls each, when a worker is recycled, closed for idleness or
 * checked, and how long a caller may wait for a free worker. Immutable; built with
 * {@link #builder(WorkerSpec)}. Every setting has a default a careful user would pick; see each
 * builder method.
 */
public final class PoolSpec {
  private final WorkerSpec worker;
  private final String name;
  private final int minWorkers;
  private final int maxWorkers;
  private final int maxCallsPerWorker;
  private final long recycleAfterCalls;
  private final Duration idleTimeout;
  private final Duration healthCheckAfterIdle;
  private final Duration healthCheckTimeout;
  private final Duration maxWait;
  private final int maxWaiting;
  private final Duration hungTimeout;
  private final Duration closeTimeout;

  private PoolSpec(Builder b) {
    this.worker = b.worker;
    this.name = b.name == null ? b.worker.name() + "-pool" : b.name;
    this.minWorkers = b.minWorkers;
    this.maxWorkers = b.maxWorkers;
    this.maxCallsPerWorker = b.maxCallsPerWorker;
    this.recycleAfterCalls = b.recycleAfterCalls;
    this.idleTimeout = b.idleTimeout;
    this.healthCheckAfterIdle = b.healthCheckAfterIdle;
    this.healthCheckTimeout = b.healthCheckTimeout;
    this.maxWait = b.maxWait;
    this.maxWaiting = b.maxWaiting;
    this.hungTimeout = b.hungTimeout;
    this.closeTimeout = b.closeTimeout;
  }

  /** Starts describing a pool of workers launched from {@code worker}. */
  public static Builder builder(WorkerSpec worker) {
    return new Builder(Objects.requireNonNull(worker, "worker"));
  }

  /** The spec every worker of the pool is launched from. */
  public WorkerSpec worker() {
    return worker;
  }

  /** Name used in messages and thread names. */
  public String name() {
    return name;
  }

  /** Workers kept running even when idle. */
  public int minWorkers() {
    return minWorkers;
  }

  /** Most workers serving at once (a recycled worker's replacement comes on top, briefly). */
  public int maxWorkers() {
    return maxWorkers;
  }

  /** Most calls one worker serves at once. */
  public int maxCallsPerWorker() {
    return maxCallsPerWorker;
  }

  /** Calls after which a worker is replaced; 0 means never. */
  public long recycleAfterCalls() {
    return recycleAfterCalls;
  }

  /** How long a worker above the minimum may stay idle before it is closed. */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** A worker idle at least this long is checked before it serves a call again. */
  public Duration healthCheckAfterIdle() {
    return healthCheckAfterIdle;
  }

  /** Bound on one health check. */
  public Duration healthCheckTimeout() {
    return healthCheckTimeout;
  }

  /** Most time a caller waits for a free worker (its own deadline may end the wait sooner). */
  public Duration maxWait() {
    return maxWait;
  }

  /** Most callers waiting for a free worker at once; more fail at once. */
  public int maxWaiting() {
    return maxWaiting;
  }

  /** A worker with a force-released call still unanswered after this long is replaced. */
  public Duration hungTimeout() {
    return hungTimeout;
  }

  /** How long {@link TetherPool#close()} lets running calls finish before stopping everything. */
  public Duration closeTimeout() {
    return closeTimeout;
  }

  /** Builds a {@link PoolSpec}. Not thread-safe. */
  public static final class Builder {
    private final WorkerSpec worker;
    private String name;
    private int minWorkers = 1;
    private int maxWorkers = 4;
    private int maxCallsPerWorker = 1;
    private long recycleAfterCalls;
    private Duration idleTimeout = Duration.ofSeconds(60);
    private Duration healthCheckAfterIdle = Duration.ofSeconds(5);
    private Duration healthCheckTimeout = Duration.ofSeconds(2);
    private Duration maxWait = Duration.ofSeconds(30);
    private int maxWaiting = 1000;
    private Duration hungTimeout = Duration.ofSeconds(30);
    private Duration closeTimeout = Duration.ofSeconds(10);

    private Builder(WorkerSpec worker) {
      this.worker = worker;
    }

    /** Names the pool in messages. Default: the worker spec's name plus {@code -pool}. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** Workers started with the pool and kept even when idle. Default 1; 0 allowed. */
    public Builder minWorkers(int n) {
      this.minWorkers = atLeast(0, n, "minWorkers");
      return this;
    }

    /** Most workers at once; more are started on demand up to it. Default 4. */
    public Builder maxWorkers(int n) {
      this.maxWorkers = atLeast(1, n, "maxWorkers");
      return this;
    }

    /**
     * Most calls one worker serves at once. Default 1: one call per process, so a call that hangs
     * or crashes its worker harms no other call.
     */
    public Builder maxCallsPerWorker(int n) {
      this.maxCallsPerWorker = atLeast(1, n, "maxCallsPerWorker");
      return this;
    }

    /**
     * Replaces a worker after it has taken {@code calls} calls: its replacement is started first,
     * then it takes no new calls, finishes those it has, and is closed. Default 0: never.
     */
    public Builder recycleAfterCalls(long calls) {
      if (calls < 0) {
        throw new IllegalArgumentException("recycleAfterCalls must be >= 0: " + calls);
      }
      this.recycleAfterCalls = calls;
      return this;
    }

    /** Idle time after which a worker above the minimum is closed. Default 60 s. */
    public Builder idleTimeout(Duration d) {
      this.idleTimeout = positive(d, "idleTimeout");
      return this;
    }

    /**
     * A worker idle at least this long answers a cheap call to its admin object before it serves
     * again; if it does not (within {@link #healthCheckTimeout}), it is replaced and the caller
     * gets another worker. Default 5 s; {@link Duration#ZERO} checks before every idle reuse.
     */
    public Builder healthCheckAfterIdle(Duration d) {
      this.healthCheckAfterIdle = notNegative(d, "healthCheckAfterIdle");
      return this;
    }

    /** Bound on one health check. Default 2 s. */
    public Builder healthCheckTimeout(Duration d) {
      this.healthCheckTimeout = positive(d, "healthCheckTimeout");
      return this;
    }

    /**
     * Most time a caller waits for a free worker before it gets a {@link TetherException} with
     * {@link ErrorCode#POOL_EXHAUSTED}; the caller's deadline or scope may end the wait sooner.
     * Default 30 s.
     */
    public Builder maxWait(Duration d) {
      this.maxWait = notNegative(d, "maxWait");
      return this;
    }

    /** Most callers waiting at once; beyond it a call fails at once. Default 1000. */
    public Builder maxWaiting(int n) {
      this.maxWaiting = atLeast(0, n, "maxWaiting");
      return this;
    }

    /**
     * A worker whose force-released call (its caller gave up) is still unanswered after this long
     * is replaced; until then that call's slot counts as busy. Default 30 s.
     */
    public Builder hungTimeout(Duration d) {
      this.hungTimeout = positive(d, "hungTimeout");
      return this;
    }

    /** How long {@link TetherPool#close()} lets running calls finish. Default 10 s. */
    public Builder closeTimeout(Duration d) {
      this.closeTimeout = notNegative(d, "closeTimeout");
      return this;
    }

    /**
     * The spec.
     *
     * @throws IllegalStateException when the minimum exceeds the maximum
     */
    public PoolSpec build() {
      if (minWorkers > maxWorkers) {
        throw new IllegalStateException(
            "minWorkers " + minWorkers + " exceeds maxWorkers " + maxWorkers);
      }
      return new PoolSpec(this);
    }

    private static int atLeast(int min, int n, String what) {
      if (n < min) {
        throw new IllegalArgumentException(what + " must be >= " + min + ": " + n);
      }
      return n;
    }

    private static Duration notNegative(Duration d, String what) {
      if (Objects.requireNonNull(d, what).isNegative()) {
        throw new IllegalArgumentException(what + " must not be negative: " + d);
      }
      return d;
    }

    private static Duration positive(Duration d, String what) {
      if (notNegative(d, what).isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }
  }
}
