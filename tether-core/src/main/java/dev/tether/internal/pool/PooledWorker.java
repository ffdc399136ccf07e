package dev.tether.internal.pool;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One worker of a pool and its slots. Every field but the proxy cache is guarded by the pool's
 * lock ({@link PoolCore}); the pool decides, this class only counts and answers.
 *
 * <p>A slot is taken by a call in flight ({@code inFlight}) or by a call whose caller was force-
 * released and which the worker has not answered yet ({@code unanswered}): such a worker is still
 * busy with it, so the slot stays taken until the answer is known to have arrived (see
 * {@link #reconcile}) or the worker is replaced.
 */
final class PooledWorker {
  final int id;
  final WorkerHandle handle;
  private final ConcurrentHashMap<Binding, InvocationHandler> handlers = new ConcurrentHashMap<>();

  int inFlight;
  int unanswered;
  long unansweredSince;
  long forcedTotal;
  long calls;
  long lastUsed;
  boolean retiring;
  boolean replacementRequested;
  boolean reconciling;
  boolean removed;
  private final long discardedBase;

  PooledWorker(int id, WorkerHandle handle, long now) {
    this.id = id;
    this.handle = handle;
    this.lastUsed = now;
    this.discardedBase = handle.discardedAnswers();
  }

  /** Resolves {@code b} on this worker (a round trip the first time) and caches its handler. */
  InvocationHandler handler(Binding b) {
    InvocationHandler h = handlers.get(b);
    if (h == null) {
      Object proxy = handle.proxy(b.iface(), b.name());
      h = Proxy.isProxyClass(proxy.getClass())
          ? Proxy.getInvocationHandler(proxy)
          : (p, m, args) -> m.invoke(proxy, args);
      handlers.putIfAbsent(b, h);
    }
    return h;
  }

  /** Slots taken. */
  int taken() {
    return inFlight + unanswered;
  }

  /** True when a new call may be given to this worker. */
  boolean hasRoom(int maxCalls) {
    return !retiring && !removed && taken() < maxCalls;
  }

  /** Records that a call's caller was released without the worker's answer. */
  void forced(long now) {
    if (unanswered == 0) {
      unansweredSince = now;
    }
    unanswered++;
    forcedTotal++;
  }

  /**
   * Recomputes the unanswered calls from what the worker has answered since it started: answers
   * the client discarded as late, plus orphans the server reports finished. Returns the slots
   * freed.
   */
  int reconcile(long orphansFinished, long now) {
    long answered = handle.discardedAnswers() - discardedBase + orphansFinished;
    int still = (int) Math.max(0, Math.min(unanswered, forcedTotal - answered));
    int freed = unanswered - still;
    unanswered = still;
    if (freed > 0 && still > 0) {
      unansweredSince = now; // the oldest is gone; measure the rest from now (conservative)
    }
    return freed;
  }

  @Override
  public String toString() {
    return "worker " + id + " (" + handle + ")";
  }
}
