package dev.tether.internal.pool;

import dev.tether.CallCancelledException;
import dev.tether.ErrorCode;
import dev.tether.TetherException;
import dev.tether.internal.cancel.CallContext;
import dev.tether.internal.cancel.HasCanceller;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The invocation handler behind a pool's proxies. Each call takes a slot on a worker with room
 * (waiting if need be), runs through that worker's own proxy on the caller's thread (so the
 * caller's scope, deadline and COM cancel state apply exactly as with one worker), and gives the
 * slot back when the call ends: for an asynchronous call, when its future completes (before the
 * future the caller holds completes, see {@link PoolFuture}). A call whose
 * caller was released without the worker's answer keeps its slot (the worker is still busy).
 */
final class PoolProxy implements InvocationHandler {
  private final WorkerPool pool;
  private final Binding binding;

  PoolProxy(WorkerPool pool, Binding binding) {
    this.pool = pool;
    this.binding = binding;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return switch (method.getName()) {
        case "equals" -> proxy == args[0];
        case "hashCode" -> System.identityHashCode(proxy);
        case "toString" -> "Tether pool proxy " + binding.iface().getSimpleName() + " '"
            + binding.name() + "' of " + pool.describe();
        default -> throw new UnsupportedOperationException(method.toString());
      };
    }
    if (method.isDefault()) {
      return InvocationHandler.invokeDefault(proxy, method, args);
    }
    PooledWorker worker = pool.acquire(CallContext.current());
    Slot slot = new Slot(pool, worker);
    Object result;
    try {
      result = worker.handler(binding).invoke(proxy, method, args);
    } catch (Throwable t) {
      slot.release(t);
      throw t;
    }
    if (result instanceof CompletableFuture<?> f && result instanceof HasCanceller) {
      return releasing(f, slot);
    } else if (result instanceof CompletionStage<?> stage) {
      stage.whenComplete((value, failure) -> slot.release(failure));
    } else {
      slot.release(null);
    }
    return result;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object releasing(CompletableFuture<?> call, Slot slot) {
    return PoolFuture.after((CompletableFuture & HasCanceller) call, slot::release);
  }

  /** One call's slot, given back exactly once. */
  private static final class Slot {
    private final WorkerPool pool;
    private final PooledWorker worker;
    private final AtomicBoolean released = new AtomicBoolean();

    Slot(WorkerPool pool, PooledWorker worker) {
      this.pool = pool;
      this.worker = worker;
    }

    void release(Throwable failure) {
      if (released.compareAndSet(false, true)) {
        pool.release(worker, outcome(failure));
      }
    }

    private static PoolCore.Outcome outcome(Throwable t) {
      if (t instanceof CompletionException && t.getCause() != null) {
        t = t.getCause();
      }
      if (t == null) {
        return PoolCore.Outcome.OK;
      }
      if (t instanceof CallCancelledException c) {
        return c.forced() ? PoolCore.Outcome.FORCED : PoolCore.Outcome.OK;
      }
      if (t instanceof CancellationException) {
        return PoolCore.Outcome.FORCED; // future.cancel(true): released with no grace
      }
      if (t instanceof TetherException e && e.code() == ErrorCode.UNAVAILABLE) {
        return PoolCore.Outcome.BROKEN;
      }
      return PoolCore.Outcome.OK;
    }
  }
}
