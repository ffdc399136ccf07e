package dev.tether.internal.pool;

import dev.tether.CallCancelledException;
import dev.tether.ConnectionClosedException;
import dev.tether.DeadlineExceededException;
import dev.tether.ErrorCode;
import dev.tether.PoolSpec;
import dev.tether.PoolStats;
import dev.tether.TetherException;
import dev.tether.internal.cancel.CancelNode;
import dev.tether.internal.cancel.Timers;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * A running pool: the proxies, the slow work {@link PoolCore} decides on (starting, closing and
 * asking workers, each on its own virtual thread, never under the lock), the upkeep tick, and the
 * lifecycle. Thread-safe.
 */
public final class WorkerPool {
  private static final System.Logger LOG = System.getLogger("dev.tether.pool");

  private final PoolCore core;
  private final WorkerFactory factory;
  private final Duration stopBound;
  private final ConcurrentHashMap<Binding, Object> proxies = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final AtomicBoolean upkeepRunning = new AtomicBoolean();
  private volatile ScheduledFuture<?> tick;

  private WorkerPool(PoolSpec spec, WorkerFactory factory, LongSupplier clock, Duration stopBound) {
    this.core = new PoolCore(spec, clock);
    this.factory = factory;
    this.stopBound = stopBound;
    core.lifecycle(this);
  }

  /**
   * Starts the pool's minimum of workers (in parallel) and its upkeep.
   *
   * @param stopBound how long closing a worker may take at most (its shutdown timeout and a margin)
   * @throws TetherException the first start failure; workers already started are closed
   */
  public static WorkerPool start(PoolSpec spec, WorkerFactory factory, LongSupplier clock,
      Duration stopBound) {
    WorkerPool pool = new WorkerPool(spec, factory, clock, stopBound);
    pool.startInitialWorkers();
    long period = upkeepPeriod(spec);
    pool.tick = Timers.scheduleAtFixedRate(pool::upkeepSoon, period);
    return pool;
  }

  private static long upkeepPeriod(PoolSpec spec) {
    long shortest = Math.min(spec.idleTimeout().toNanos(), spec.hungTimeout().toNanos());
    long half = shortest / 2;
    return Math.max(TimeUnit.MILLISECONDS.toNanos(100),
        Math.min(TimeUnit.SECONDS.toNanos(1), half));
  }

  private void startInitialWorkers() {
    List<CompletableFuture<WorkerHandle>> starts = new ArrayList<>();
    for (int i = 0; i < core.spec.minWorkers(); i++) {
      CompletableFuture<WorkerHandle> f = new CompletableFuture<>();
      Thread.ofVirtual().name("tether-pool-start").start(() -> {
        try {
          f.complete(factory.start());
        } catch (Throwable t) {
          f.completeExceptionally(t);
        }
      });
      starts.add(f);
    }
    List<WorkerHandle> ok = new ArrayList<>();
    RuntimeException first = null;
    for (CompletableFuture<WorkerHandle> f : starts) {
      try {
        ok.add(f.join()); // each start is bounded by the worker spec's start timeout
      } catch (RuntimeException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (first == null) {
          first = cause instanceof RuntimeException r ? r
              : new TetherException(ErrorCode.INTERNAL, "cannot start a worker: " + cause, cause);
        }
      }
    }
    if (first != null) {
      ok.forEach(WorkerHandle::close);
      throw first;
    }
    core.lock.lock();
    try {
      for (WorkerHandle h : ok) {
        core.workers.add(new PooledWorker(ids.incrementAndGet(), h, core.clock.getAsLong()));
        core.started++;
      }
    } finally {
      core.lock.unlock();
    }
  }

  /** The pool's proxy for {@code name}: every call goes to a worker with room. */
  public <T> T get(Class<T> iface, String name) {
    Binding b = new Binding(iface, name);
    Object cached = proxies.get(b);
    if (cached != null) {
      return iface.cast(cached);
    }
    if (!iface.isInterface()) {
      throw new IllegalArgumentException(iface.getName() + " is not an interface");
    }
    PooledWorker any = core.anyLiveWorker();
    if (any != null) {
      any.handler(b); // checks the interface and asks the worker now, like Tether.get
    }
    core.bindings.put(b, Boolean.TRUE);
    Object proxy = Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface},
        new PoolProxy(this, b));
    Object raced = proxies.putIfAbsent(b, proxy);
    return iface.cast(raced == null ? proxy : raced);
  }

  /**
   * Takes a slot on a worker for one call, checking the worker first if it has been idle long;
   * a worker that fails its check leaves the pool and the caller gets another.
   */
  PooledWorker acquire(CancelNode node) {
    while (true) {
      PoolCore.Grant g = core.obtain(node);
      PooledWorker w = g.worker();
      if (!g.check()) {
        return w;
      }
      try {
        w.handle.adminStats(core.spec.healthCheckTimeout());
        return w;
      } catch (CallCancelledException e) {
        boolean ownTimeout = e instanceof DeadlineExceededException
            && (node == null || !node.isCancelled());
        if (!ownTimeout) { // the caller cancelled during the check: the worker is not to blame
          core.release(w, PoolCore.Outcome.OK);
          throw node != null && node.isCancelled()
              ? PoolMessages.cancelled(node.reason(), "during the health check of a worker of "
                  + core.describe())
              : new CallCancelledException(CallCancelledException.Outcome.NOT_SENT,
                  "cancelled during the health check of a worker of " + core.describe());
        }
        LOG.log(System.Logger.Level.WARNING, "pool worker failed its health check: " + w, e);
        core.checkFailed(w);
      } catch (TetherException e) {
        LOG.log(System.Logger.Level.WARNING, "pool worker failed its health check: " + w, e);
        core.checkFailed(w);
      }
    }
  }

  /** Gives back a slot taken by {@link #acquire}. */
  void release(PooledWorker w, PoolCore.Outcome outcome) {
    core.release(w, outcome);
  }

  /** A snapshot of the pool's counters. */
  public PoolStats stats() {
    return core.stats();
  }

  /** Runs the upkeep now (also runs periodically). */
  public void maintain() {
    core.maintain();
  }

  private void upkeepSoon() {
    if (upkeepRunning.compareAndSet(false, true)) { // the timer thread never blocks on the lock
      Thread.ofVirtual().name("tether-pool-upkeep").start(() -> {
        try {
          core.maintain();
        } finally {
          upkeepRunning.set(false);
        }
      });
    }
  }

  /** No new calls; waiting and running ones finish, then the workers are closed. */
  public void shutdown() {
    PoolActions a = new PoolActions();
    core.lock.lock();
    try {
      if (core.state == PoolCore.State.RUNNING) {
        core.state = PoolCore.State.SHUTDOWN;
      }
      core.afterChange(a);
    } finally {
      core.lock.unlock();
    }
    run(a);
  }

  /** No new calls, waiting callers fail, every worker is closed now (its calls fail). */
  public void shutdownNow() {
    PoolActions a = new PoolActions();
    core.lock.lock();
    try {
      core.state = PoolCore.State.STOPPED;
      String what = core.describeLocked();
      for (Waiter x : core.waiters) {
        x.fail(() -> new ConnectionClosedException(what + " was shut down now", null));
      }
      core.waiters.clear();
      for (PooledWorker w : List.copyOf(core.workers)) {
        core.remove(w, a);
      }
      core.afterChange(a);
    } finally {
      core.lock.unlock();
    }
    run(a);
  }

  /** Waits up to {@code timeout} for every worker to be closed after a shutdown. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** True once {@link #shutdown} or {@link #shutdownNow} was called. */
  public boolean isShutdown() {
    core.lock.lock();
    try {
      return core.state != PoolCore.State.RUNNING;
    } finally {
      core.lock.unlock();
    }
  }

  /** True once shut down and every worker is closed. */
  public boolean isTerminated() {
    return terminated.getCount() == 0;
  }

  /**
   * Shuts down, lets calls finish for the spec's close timeout, then stops everything and waits
   * (bounded) for the workers to be gone. An interrupt stops everything at once; the flag stays.
   */
  public void close() {
    shutdown();
    boolean interrupted = false;
    try {
      if (!awaitTermination(core.spec.closeTimeout())) {
        shutdownNow();
        awaitTermination(stopBound);
      }
    } catch (InterruptedException e) {
      interrupted = true;
      shutdownNow();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Does what the core decided, off its lock. */
  void run(PoolActions a) {
    if (a.isEmpty()) {
      return;
    }
    for (PooledWorker w : a.close) {
      Thread.ofVirtual().name("tether-pool-close").start(() -> closeWorker(w));
    }
    for (int i = 0; i < a.grow; i++) {
      Thread.ofVirtual().name("tether-pool-start").start(() -> startWorker(null));
    }
    for (PooledWorker w : a.replace) {
      Thread.ofVirtual().name("tether-pool-start").start(() -> startWorker(w));
    }
    for (PooledWorker w : a.reconcile) {
      Thread.ofVirtual().name("tether-pool-ask").start(() -> reconcile(w));
    }
    if (a.terminated) {
      ScheduledFuture<?> t = tick;
      if (t != null) {
        t.cancel(false);
      }
      terminated.countDown();
    }
  }

  private void startWorker(PooledWorker replacing) {
    WorkerHandle h = null;
    PooledWorker w = null;
    RuntimeException failure = null;
    try {
      h = factory.start();
      w = new PooledWorker(ids.incrementAndGet(), h, core.clock.getAsLong());
      for (Binding b : core.bindings.keySet()) {
        w.handler(b); // resolved now, so no caller waits for it
      }
    } catch (RuntimeException e) {
      failure = e;
      LOG.log(System.Logger.Level.WARNING, "pool '" + core.spec.name()
          + "' could not start a worker", e);
      if (h != null) {
        h.close();
      }
    }
    PoolActions a = new PoolActions();
    core.lock.lock();
    try {
      core.workerStarted(w, replacing, failure, a);
    } finally {
      core.lock.unlock();
    }
    run(a);
  }

  private void closeWorker(PooledWorker w) {
    try {
      w.handle.close();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "closing pool worker " + w + " failed", e);
    } finally {
      PoolActions a = new PoolActions();
      core.lock.lock();
      try {
        core.closing--;
        core.afterChange(a);
      } finally {
        core.lock.unlock();
      }
      run(a);
    }
  }

  /** Asks a worker with unanswered released calls how many orphans it has finished. */
  private void reconcile(PooledWorker w) {
    long finished = -1;
    boolean forced = false;
    try {
      finished = w.handle.adminStats(core.spec.healthCheckTimeout()).orphansFinished();
    } catch (CallCancelledException e) {
      forced = e.forced(); // its late answer will be counted as discarded: count it as sent
    } catch (TetherException e) {
      // no answer: the hung timeout decides
    }
    PoolActions a = new PoolActions();
    core.lock.lock();
    try {
      w.reconciling = false;
      if (forced) {
        w.forcedTotal++;
      }
      if (finished >= 0 && !w.removed) {
        w.reconcile(finished, core.clock.getAsLong());
      }
      core.afterChange(a);
    } finally {
      core.lock.unlock();
    }
    run(a);
  }

  /** "pool 'name' (...)" for messages. */
  String describe() {
    return core.describe();
  }
}
