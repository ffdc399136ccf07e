package dev.tether.internal.pool;

import dev.tether.ConnectionClosedException;
import dev.tether.ErrorCode;
import dev.tether.PoolSpec;
import dev.tether.PoolStats;
import dev.tether.TetherException;
import dev.tether.internal.cancel.CancelNode;
import dev.tether.internal.cancel.CancelReason;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The slots of a pool of workers: who may call which worker now, who waits, and when workers are
 * started, recycled, checked or closed.
 *
 * <p>One lock ({@code lock}) guards every worker's counters, the waiters and the counts. Under it
 * the pool only decides; what takes time (starting or closing a JVM, asking a worker for its stats)
 * is collected in {@link PoolActions} and done after the lock is released, on virtual threads
 * ({@link WorkerPool}). A caller that finds no free worker queues a {@link Waiter}; a releaser
 * hands its slot straight to the first waiter, so slots are granted in order and never lost.
 *
 * <p>Time for idleness, health checks and hung workers comes from {@code clock} (a
 * {@link System#nanoTime} source that tests replace); waits use the real clock, like deadlines.
 */
public final class PoolCore {
  enum State { RUNNING, SHUTDOWN, STOPPED }

  final PoolSpec spec;
  final LongSupplier clock;
  final ReentrantLock lock = new ReentrantLock();
  final ConcurrentHashMap<Binding, Boolean> bindings = new ConcurrentHashMap<>();
  private final int maxCalls;
  private final long healthAfterIdleNanos;
  private final long idleNanos;
  private final long hungNanos;
  private WorkerPool lifecycle;

  // @GuardedBy("lock")
  final List<PooledWorker> workers = new ArrayList<>();
  final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  State state = State.RUNNING;
  int startingForGrowth;
  int startingReplacements;
  int closing;
  long started;
  long recycled;
  long failed;
  long idleClosed;
  boolean terminatedSignalled;

  PoolCore(PoolSpec spec, LongSupplier clock) {
    this.spec = spec;
    this.clock = clock;
    this.maxCalls = spec.maxCallsPerWorker();
    this.healthAfterIdleNanos = spec.healthCheckAfterIdle().toNanos();
    this.idleNanos = spec.idleTimeout().toNanos();
    this.hungNanos = spec.hungTimeout().toNanos();
  }

  void lifecycle(WorkerPool lifecycle) {
    this.lifecycle = lifecycle;
  }

  WorkerPool lifecycle() {
    return lifecycle;
  }

  /** A worker slot granted to a caller, and whether the worker must be checked first. */
  record Grant(PooledWorker worker, boolean check) {}

  /**
   * Takes a slot on a worker with room, waiting if every worker is busy: bounded by the pool's
   * maximum wait and by {@code node}'s deadline, released by its cancellation, by a cancel of
   * this thread's pending call, and by an interrupt (the flag stays set).
   */
  Grant obtain(CancelNode node) {
    if (node != null) {
      CancelReason r = node.reason();
      if (r != null) {
        throw PoolMessages.cancelled(r, "before waiting for a worker of " + describe());
      }
    }
    PoolActions a = new PoolActions();
    Waiter waiter = null;
    Grant grant = null;
    Supplier<TetherException> fail = null;
    lock.lock();
    try {
      if (state != State.RUNNING) {
        fail = () -> new ConnectionClosedException(describeLocked() + " is shut down", null);
      } else {
        PooledWorker w = pickFree(a);
        if (w != null) {
          grant = new Grant(w, reserve(w, a, true));
        } else if (waiters.size() >= spec.maxWaiting()) {
          String why = describeLocked() + ": every worker is busy and " + waiters.size()
              + " callers are already waiting (maxWaiting)";
          fail = () -> new TetherException(ErrorCode.POOL_EXHAUSTED, why);
        } else {
          waiter = new Waiter(lock.newCondition());
          waiters.addLast(waiter);
          grow(a);
          askWhetherReleasedCallsEnded(a);
        }
      }
    } finally {
      lock.unlock();
    }
    lifecycle.run(a);
    if (fail != null) {
      throw fail.get();
    }
    return grant != null ? grant : CallerWait.await(this, waiter, node);
  }

  /** Fails a wait (cancel, deadline, shutdown). Returns false if it had ended already. */
  boolean failWaiter(Waiter waiter, Supplier<TetherException> why) {
    lock.lock();
    try {
      boolean failed = waiter.fail(why);
      if (failed) {
        waiters.remove(waiter);
      }
      return failed;
    } finally {
      lock.unlock();
    }
  }

  /** Gives a slot back, with how its call ended. */
  void release(PooledWorker w, Outcome outcome) {
    PoolActions a = new PoolActions();
    lock.lock();
    try {
      releaseLocked(w, outcome, a);
    } finally {
      lock.unlock();
    }
    lifecycle.run(a);
  }

  void releaseLocked(PooledWorker w, Outcome outcome, PoolActions a) {
    long now = clock.getAsLong();
    w.inFlight--;
    w.lastUsed = now;
    if (outcome == Outcome.FORCED) {
      w.forced(now);
    } else if (outcome == Outcome.BROKEN && !w.handle.isOpen()) {
      removeFailed(w, a);
    }
    if (w.retiring && w.inFlight == 0) {
      remove(w, a);
    }
    afterChange(a);
  }

  /** A health check failed: the worker leaves the pool and its slot is freed. */
  void checkFailed(PooledWorker w) {
    PoolActions a = new PoolActions();
    lock.lock();
    try {
      w.inFlight--;
      removeFailed(w, a);
      afterChange(a);
    } finally {
      lock.unlock();
    }
    lifecycle.run(a);
  }

  /** Hands free slots to waiters, keeps the minimum, drains on shutdown. Under lock. */
  void afterChange(PoolActions a) {
    while (!waiters.isEmpty()) {
      PooledWorker w = pickFree(a);
      if (w == null) {
        break;
      }
      Waiter x = waiters.pollFirst();
      x.worker = w;
      reserve(w, a, false);
      x.condition.signal();
    }
    if (!waiters.isEmpty()) {
      grow(a);
    }
    if (state != State.RUNNING && waiters.isEmpty()) {
      for (PooledWorker w : List.copyOf(workers)) {
        if (w.inFlight == 0) {
          remove(w, a);
        }
      }
    }
    if (!terminatedSignalled && state != State.RUNNING && workers.isEmpty() && waiters.isEmpty()
        && startingForGrowth == 0 && startingReplacements == 0 && closing == 0) {
      terminatedSignalled = true;
      a.terminated = true;
    }
  }

  /** The open worker with room and the fewest calls (most recently used among equals), or null. */
  private PooledWorker pickFree(PoolActions a) {
    PooledWorker best = null;
    for (int i = workers.size() - 1; i >= 0; i--) {
      PooledWorker w = workers.get(i);
      if (!w.hasRoom(maxCalls)) {
        continue;
      }
      if (!w.handle.isOpen()) {
        removeFailed(w, a); // died while idle
        continue;
      }
      if (best == null || w.taken() < best.taken()
          || (w.taken() == best.taken() && w.lastUsed - best.lastUsed > 0)) {
        best = w;
      }
    }
    return best;
  }

  /** Takes a slot on {@code w}; returns whether it has been idle long enough to need a check. */
  private boolean reserve(PooledWorker w, PoolActions a, boolean mayCheck) {
    boolean check = mayCheck && w.taken() == 0
        && clock.getAsLong() - w.lastUsed >= healthAfterIdleNanos;
    w.inFlight++;
    w.calls++;
    long limit = spec.recycleAfterCalls();
    if (limit > 0 && w.calls >= limit) {
      requestReplacement(w, a);
    }
    return check;
  }

  private void requestReplacement(PooledWorker w, PoolActions a) {
    if (!w.replacementRequested && state == State.RUNNING) {
      w.replacementRequested = true;
      startingReplacements++;
      a.replace.add(w);
    }
  }

  /** Starts workers for waiters that the workers already starting cannot serve. */
  private void grow(PoolActions a) {
    if (state == State.STOPPED) {
      return;
    }
    int live = liveCount();
    while (waiters.size() > startingForGrowth * maxCalls
        && live + startingForGrowth < spec.maxWorkers()) {
      startingForGrowth++;
      a.grow++;
    }
  }

  private void askWhetherReleasedCallsEnded(PoolActions a) {
    for (PooledWorker w : workers) {
      if (w.unanswered > 0 && !w.reconciling && !w.removed) {
        w.reconciling = true;
        a.reconcile.add(w);
      }
    }
  }

  /** Workers that take new calls. */
  int liveCount() {
    int n = 0;
    for (PooledWorker w : workers) {
      if (!w.retiring && !w.removed) {
        n++;
      }
    }
    return n;
  }

  void remove(PooledWorker w, PoolActions a) {
    if (w.removed) {
      return;
    }
    w.removed = true;
    workers.remove(w);
    closing++;
    a.close.add(w);
  }

  void removeFailed(PooledWorker w, PoolActions a) {
    if (!w.removed) {
      failed++;
      remove(w, a);
    }
  }

  /**
   * Periodic upkeep: closes workers idle too long above the minimum, removes dead ones, asks
   * workers with unanswered released calls whether they finished, replaces workers hung past the
   * hung timeout, and keeps the minimum.
   */
  void maintain() {
    PoolActions a = new PoolActions();
    lock.lock();
    try {
      long now = clock.getAsLong();
      int live = liveCount();
      for (PooledWorker w : List.copyOf(workers)) {
        if (!w.handle.isOpen()) {
          removeFailed(w, a);
          live -= w.retiring ? 0 : 1;
          continue;
        }
        if (w.unanswered > 0 && now - w.unansweredSince >= hungNanos) {
          requestReplacement(w, a);
        }
        if (!w.retiring && w.taken() == 0 && now - w.lastUsed >= idleNanos
            && live > spec.minWorkers()) {
          remove(w, a);
          idleClosed++;
          live--;
        }
      }
      askWhetherReleasedCallsEnded(a);
      if (state == State.RUNNING) { // only here, so a spec that cannot start is retried calmly
        while (liveCount() + startingForGrowth < spec.minWorkers()) {
          startingForGrowth++;
          a.grow++;
        }
      }
      afterChange(a);
    } finally {
      lock.unlock();
    }
    lifecycle.run(a);
  }

  /**
   * Takes in a started worker (or its failure). A replacement retires the worker it replaces: no
   * new calls, closed once its calls are done. When a start fails and nothing else could serve
   * the waiters, they fail at once with the start failure rather than waiting it out. Under lock.
   */
  void workerStarted(PooledWorker w, PooledWorker replacing, RuntimeException failure,
      PoolActions a) {
    if (replacing == null) {
      startingForGrowth--;
    } else {
      startingReplacements--;
    }
    if (failure != null) {
      failed++;
      if (replacing != null) {
        replacing.replacementRequested = false;
      }
      if (liveCount() == 0 && startingForGrowth == 0 && !waiters.isEmpty()) {
        String what = describeLocked();
        for (Waiter x : waiters) {
          x.fail(() -> new TetherException(ErrorCode.POOL_EXHAUSTED, "no worker of " + what
              + " could be started: " + failure.getMessage(), failure));
        }
        waiters.clear();
      }
    } else {
      started++;
      w.lastUsed = clock.getAsLong();
      if (state == State.STOPPED || (state == State.SHUTDOWN && waiters.isEmpty())) {
        w.removed = true;
        closing++;
        a.close.add(w);
      } else {
        workers.add(w);
        if (replacing != null && !replacing.removed) {
          replacing.retiring = true;
          recycled++;
          if (replacing.inFlight == 0) {
            remove(replacing, a);
          }
        }
      }
    }
    afterChange(a);
  }

  /** Some worker that takes calls, or null. */
  PooledWorker anyLiveWorker() {
    lock.lock();
    try {
      for (PooledWorker w : workers) {
        if (!w.retiring && !w.removed && w.handle.isOpen()) {
          return w;
        }
      }
      return null;
    } finally {
      lock.unlock();
    }
  }

  /** A snapshot of the counters. */
  PoolStats stats() {
    lock.lock();
    try {
      int busy = 0;
      int inFlight = 0;
      int unanswered = 0;
      for (PooledWorker w : workers) {
        busy += w.taken() >= maxCalls ? 1 : 0;
        inFlight += w.inFlight;
        unanswered += w.unanswered;
      }
      return new PoolStats(workers.size(), busy, inFlight, unanswered, waiters.size(),
          startingForGrowth + startingReplacements, started, recycled, failed, idleClosed);
    } finally {
      lock.unlock();
    }
  }

  /** "pool 'name' (2 workers, at most 4, 1 call each; 3 waiting)". */
  String describe() {
    lock.lock();
    try {
      return describeLocked();
    } finally {
      lock.unlock();
    }
  }

  String describeLocked() {
    int n = workers.size();
    return "pool '" + spec.name() + "' (" + n + (n == 1 ? " worker" : " workers") + ", at most "
        + spec.maxWorkers() + ", " + maxCalls + (maxCalls == 1 ? " call" : " calls")
        + " each; " + waiters.size() + " waiting)";
  }

  /** How a call that held a slot ended, as far as the slot is concerned. */
  enum Outcome {
    /** The worker answered (or the call never reached it): the slot is free. */
    OK,
    /** The caller was released without the worker's answer: the worker is still busy with it. */
    FORCED,
    /** The connection failed: the worker leaves the pool if it is no longer open. */
    BROKEN
  }
}
