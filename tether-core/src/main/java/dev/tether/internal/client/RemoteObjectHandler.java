package dev.tether.internal.client;

import dev.tether.CallCancelledException;
import dev.tether.CallMetadata;
import dev.tether.ErrorCode;
import dev.tether.TetherException;
import dev.tether.internal.cancel.CallContext;
import dev.tether.internal.cancel.CancelNode;
import dev.tether.internal.cancel.PendingWatches;
import dev.tether.internal.cancel.ThreadCancelState;
import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.codec.InterfaceSchema;
import dev.tether.internal.codec.MethodCodec;
import dev.tether.internal.time.Deadline;
import dev.tether.internal.wire.FrameBuffers;
import dev.tether.internal.wire.FrameTooLargeException;
import dev.tether.internal.wire.Frames;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;

/**
 * The invocation handler behind every proxy. {@code Object} methods are answered locally, default
 * methods run locally, every other method becomes a CALL frame. A synchronous call blocks its
 * thread until the answer or a release; an asynchronous one returns a {@link RemoteFuture}.
 *
 * <p>A call made inside a cancelled scope (or while serving a cancelled call) fails at once
 * without touching the network; otherwise it is registered under that scope, so the scope's
 * cancellation and deadline reach it, and, when the thread has cancellation enabled, pushed as the
 * thread's innermost cancel object.
 *
 * <p>Calls go to the {@link ConnectionSource}'s current connection. The handler remembers the
 * binding (the server's id for the object) together with the connection it was resolved on; when
 * the source hands out a new connection (a restarted worker), the first call resolves the object
 * again there. In the steady state that costs one volatile read and one comparison per call.
 */
public final class RemoteObjectHandler implements InvocationHandler {
  private final ConnectionSource source;
  private final InterfaceSchema schema;
  private final String name;
  private volatile Bound bound;
  /** Per method index: retries and watches beyond one attempt, or null (see {@link MethodPlan}). */
  private final MethodPlan[] plans;

  /** The server's id for the object on one connection. */
  private record Bound(ClientConnection connection, int binding) {}

  private RemoteObjectHandler(ConnectionSource source, InterfaceSchema schema, String name,
      Bound bound) {
    this.source = source;
    this.schema = schema;
    this.name = name;
    this.bound = bound;
    this.plans = new MethodPlan[schema.size()];
    for (int i = 0; i < plans.length; i++) {
      plans[i] = MethodPlan.of(schema.method(i).method(), bound.connection.options());
    }
  }

  /**
   * Resolves {@code name} on the server and returns a proxy for it.
   *
   * @throws TetherException when the server has no such object or its interface differs
   */
  public static <T> T proxy(ClientConnection connection, Class<T> iface, String name) {
    return proxy(new ConnectionSource() {
      @Override
      public ClientConnection current() {
        return connection;
      }

      @Override
      public String describe() {
        return connection.peer();
      }
    }, iface, name);
  }

  /**
   * Resolves {@code name} on the source's current connection and returns a proxy whose calls
   * follow the source to later connections.
   *
   * @throws TetherException when the server has no such object or its interface differs, or the
   *     source cannot serve calls now
   */
  public static <T> T proxy(ConnectionSource source, Class<T> iface, String name) {
    InterfaceSchema schema = InterfaceSchema.of(iface);
    ClientConnection connection = source.current();
    Bound bound = new Bound(connection, resolve(connection, schema, name));
    Object p = Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface},
        new RemoteObjectHandler(source, schema, name, bound));
    return iface.cast(p);
  }

  private static int resolve(ClientConnection connection, InterfaceSchema schema, String name) {
    TetherException unusable = connection.unusable();
    if (unusable != null) {
      throw unusable;
    }
    return connection.resolve(name, schema.type().getName(), schema.signatures());
  }

  /** The binding on the source's current connection, resolving the object there if it is new. */
  private Bound bound() {
    ClientConnection c = source.current();
    Bound b = bound;
    if (b.connection == c) {
      return b;
    }
    synchronized (this) {
      b = bound;
      if (b.connection != c) {
        b = new Bound(c, resolve(c, schema, name));
        bound = b;
      }
      return b;
    }
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return objectMethod(proxy, method, args);
    }
    if (method.isDefault()) {
      return InvocationHandler.invokeDefault(proxy, method, args);
    }
    int index = schema.indexOf(method);
    if (index < 0) {
      throw new UnsupportedOperationException(method + " is not a remote method");
    }
    MethodCodec codec = schema.method(index);
    return codec.isAsync() ? callAsync(index, codec, args) : callSync(index, codec, args);
  }

  private Object callSync(int index, MethodCodec codec, Object[] args) throws Throwable {
    MethodPlan plan = plans[index];
    if (plan == null && !PendingWatches.any()) {
      return attempt(index, codec, args, null);
    }
    return RetryingCall.run(plan, codec, call -> attempt(index, codec, args, call),
        () -> bound().connection);
  }

  /** One attempt of a synchronous call; reports its pending call to {@code retrying} if given. */
  private Object attempt(int index, MethodCodec codec, Object[] args, RetryingCall retrying)
      throws Throwable {
    Bound b = bound();
    ClientConnection connection = b.connection;
    TetherException unusable = connection.unusable();
    if (unusable != null) {
      throw unusable;
    }
    CancelNode scope = CallContext.current();
    throwIfCancelledBeforeStart(scope);
    int id = connection.nextId();
    CallMetadata metadata = CallContext.metadata();
    ClientCallTrace trace = ClientCallTrace.start(connection, codec, id, metadata);
    // One call site of exchange and unpack whether or not the call is observed (trace null:
    // nothing observes it). With two, the JIT compiled the observed one apart and stopped
    // inlining exchange into either once a recording made both hot (JfrEventBench, BENCHMARKS.md).
    Outcome outcome = null;
    try {
      outcome = exchange(b, id, index, codec, args, scope,
          trace == null ? metadata : trace.metadata(), trace, retrying);
      Object value = Answers.unpack(outcome, codec, connection);
      if (trace != null) {
        trace.end(outcome, null);
      }
      return value;
    } catch (Throwable t) {
      if (trace != null) {
        trace.end(outcome, t); // on the caller's thread, which no longer reads the connection
      }
      throw t;
    }
  }

  /**
   * Sends the CALL and waits for its outcome (the caller leads the reading meanwhile if free);
   * reports the pending call to {@code retrying} if given.
   */
  private static Outcome exchange(Bound b, int id, int index, MethodCodec codec, Object[] args,
      CancelNode scope, CallMetadata metadata, ClientCallTrace trace, RetryingCall retrying) {
    ClientConnection connection = b.connection;
    ByteWriter frame = FrameBuffers.acquire();
    try {
      encode(frame, b, id, index, codec, args, scope, metadata);
      PendingCall call = connection.register(
          new PendingCall(connection, id, codec, Thread.currentThread()));
      if (trace != null) {
        trace.call(call);
        trace.sent(frame.size());
      }
      CancelNode.Removal inScope = scope == null ? null : scope.addListener(call);
      ThreadCancelState thread = ThreadCancelState.currentIfEnabled();
      if (thread != null) {
        thread.push(call);
      }
      if (retrying != null) {
        retrying.started(call);
      }
      if (codec.hasStreams()) {
        StreamCalls.sendArguments(connection, call, codec, args);
      }
      try {
        connection.send(call, frame);
        FrameBuffers.release(frame);
        frame = null;
        return call.await();
      } finally {
        if (retrying != null) {
          retrying.attemptEnded();
        }
        if (thread != null) {
          thread.pop(call);
        }
        if (inScope != null) {
          inScope.remove();
        }
      }
    } finally {
      if (frame != null) {
        FrameBuffers.release(frame);
      }
    }
  }

  /**
   * Sends an asynchronous call. Outcomes of the call (cancelled, unavailable, remote exception)
   * arrive through the future, even when known at once; only unusable arguments throw here.
   */
  private Object callAsync(int index, MethodCodec codec, Object[] args) {
    MethodPlan plan = plans[index];
    if (plan == null && !PendingWatches.any()) {
      return asyncAttempt(index, codec, args);
    }
    CancelNode scope = CallContext.current();
    return AsyncWatch.run(plan, codec, scope, () -> asyncRetried(plan, scope, index, codec, args));
  }

  /** The call under {@code plan}'s retry policy, if it has one. */
  private CompletableFuture<Object> asyncRetried(MethodPlan plan, CancelNode scope, int index,
      MethodCodec codec, Object[] args) {
    if (plan == null || plan.retry().maxAttempts() == 1) {
      return asyncAttempt(index, codec, args);
    }
    RetryBudget budget;
    try {
      budget = bound().connection.retryBudget(plan.retry());
    } catch (TetherException e) {
      return CompletableFuture.failedFuture(e);
    }
    return AsyncRetry.start(plan, scope, () -> asyncAttempt(index, codec, args), budget);
  }

  /** One attempt of an asynchronous call: its future, failed at once if it cannot be sent. */
  private CompletableFuture<Object> asyncAttempt(int index, MethodCodec codec, Object[] args) {
    Bound b;
    try {
      b = bound();
    } catch (TetherException e) {
      return CompletableFuture.failedFuture(e);
    }
    ClientConnection connection = b.connection;
    TetherException unusable = connection.unusable();
    if (unusable != null) {
      return CompletableFuture.failedFuture(unusable);
    }
    CancelNode scope = CallContext.current();
    if (scope != null && scope.isCancelled()) {
      return CompletableFuture.failedFuture(
          new Outcome.Cancelled(CallCancelledException.Outcome.NOT_SENT, scope.reason())
              .toException());
    }
    int id = connection.nextId();
    CallMetadata metadata = CallContext.metadata();
    ClientCallTrace trace = ClientCallTrace.start(connection, codec, id, metadata);
    ByteWriter frame = FrameBuffers.acquire();
    try {
      try {
        encode(frame, b, id, index, codec, args, scope,
            trace == null ? metadata : trace.metadata());
      } catch (RuntimeException e) {
        if (trace != null) {
          trace.end(null, e);
        }
        throw e;
      }
      AsyncCall call = connection.register(new AsyncCall(connection, id, codec, trace));
      if (trace != null) {
        trace.sent(frame.size());
      }
      if (scope != null) {
        call.scopeRegistration(scope.addListener(call));
      }
      connection.send(call, frame);
      connection.replies().ensureReader();
      return call.future();
    } finally {
      FrameBuffers.release(frame);
    }
  }

  private static void throwIfCancelledBeforeStart(CancelNode scope) {
    if (scope != null && scope.isCancelled()) {
      throw new Outcome.Cancelled(CallCancelledException.Outcome.NOT_SENT, scope.reason())
          .toException();
    }
  }

  /**
   * Builds the CALL frame. Argument values that cannot be sent are the caller's to fix, so they
   * fail here, before anything is sent, as {@link TetherException}s that name the method.
   */
  private static void encode(ByteWriter frame, Bound b, int id, int index, MethodCodec codec,
      Object[] args, CancelNode scope, CallMetadata metadata) {
    Deadline deadline = scope == null ? null : scope.deadline();
    long remaining = deadline == null ? -1 : Math.max(0, deadline.remainingNanos());
    try {
      Frames.beginCall(frame, id, b.binding, index, remaining, metadata);
      codec.encodeArgs(frame, args);
      Frames.end(frame, b.connection.peerMaxFrameBytes());
    } catch (FrameTooLargeException e) {
      throw new TetherException(ErrorCode.RESOURCE_EXHAUSTED, "the call to "
          + Answers.describe(codec) + " is " + e.length() + " bytes, more than "
          + b.connection.peer() + " accepts (its maxFrameBytes is " + e.limit()
          + "): send less per call, or raise the limit on both sides", e);
    } catch (RuntimeException e) {
      throw new TetherException(ErrorCode.INVALID_ARGUMENT, "the arguments of "
          + Answers.describe(codec) + " cannot be sent: " + e.getMessage(), e);
    }
  }

  private Object objectMethod(Object proxy, Method method, Object[] args) {
    return switch (method.getName()) {
      case "equals" -> proxy == args[0];
      case "hashCode" -> System.identityHashCode(proxy);
      case "toString" -> "Tether proxy " + schema.type().getSimpleName() + " '" + name + "' at "
          + source.describe();
      default -> throw new UnsupportedOperationException(method.toString());
    };
  }
}
