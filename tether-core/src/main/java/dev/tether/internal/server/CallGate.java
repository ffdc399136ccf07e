package dev.tether.internal.server;

import dev.tether.CallVerdict;
import dev.tether.ConcurrencyLimit;
import dev.tether.ErrorCode;
import dev.tether.IncomingCall;
import dev.tether.IncomingCallFilter;
import dev.tether.internal.time.Clock;
import java.lang.reflect.Method;
import java.util.function.IntSupplier;

/**
 * The server's incoming-call checks beyond its fixed capacity ({@link CallAdmission}): the
 * built-in {@link ConcurrencyLimit}, checked on the connection's reader (Tether's own
 * non-blocking code: a shed call costs no thread and no decoding), and the user's
 * {@link IncomingCallFilter}, run on the call thread just before the method (user code never runs
 * on a reader or the timer; a server with a filter therefore never inlines calls). Calls of the
 * admin object pass neither. Thread-safe.
 */
final class CallGate {
  private final Limiter limiter;
  private final IncomingCallFilter filter;
  private final Clock clock;
  private final IntSupplier callsInFlight;

  /**
   * A gate with {@code limit} and {@code filter} (either may be null).
   *
   * @param callsInFlight the server's calls in flight, for the filter's view of the load
   */
  CallGate(ConcurrencyLimit limit, IncomingCallFilter filter, Clock clock,
      IntSupplier callsInFlight) {
    this.limiter = limit == null ? null : Limiter.of(limit, clock);
    this.filter = filter;
    this.clock = clock;
    this.callsInFlight = callsInFlight;
  }

  /** Whether a user filter must run on the call thread (so the call must not run inline). */
  boolean hasFilter() {
    return filter != null;
  }

  /**
   * On the reader: null when the concurrency limit lets the call go on (it then holds a permit
   * until {@link #finished}), else the busy refusal.
   */
  Refusal admit(ServerCall call) {
    if (limiter == null) {
      return null;
    }
    if (!limiter.tryAcquire()) {
      return Refusal.of(ErrorCode.SERVER_BUSY, "server busy: " + limiter.inFlight()
          + " calls in flight, its concurrency limit is " + limiter.limit() + "; "
          + call.methodName() + " did not run");
    }
    call.permitNanos = clock.nanoTime();
    call.holdsPermit = true;
    return null;
  }

  /**
   * On the call thread, before the arguments are decoded: null when the user's filter accepts
   * the call, else its refusal. A filter that throws or answers null rejects the call.
   */
  Refusal filter(ServerCall call, int connectionCalls) {
    CallVerdict v;
    try {
      v = filter.filter(new View(call, connectionCalls));
    } catch (RuntimeException | Error e) {
      System.getLogger("dev.tether.server").log(System.Logger.Level.WARNING,
          "incoming-call filter failed on " + call.methodName(), e);
      return Refusal.of(ErrorCode.REJECTED, "the server's incoming-call filter failed on "
          + call.methodName() + ": " + e + "; the method did not run");
    }
    if (v == null) {
      return Refusal.of(ErrorCode.REJECTED, "the server's incoming-call filter gave no verdict on "
          + call.methodName() + "; the method did not run");
    }
    return switch (v.kind()) {
      case ACCEPT -> null;
      case REJECT -> Refusal.of(ErrorCode.REJECTED, v.reason());
      case BUSY -> new Refusal(ErrorCode.SERVER_BUSY, v.reason(),
          v.retryAfter() == null ? 0 : Math.max(1, v.retryAfter().toNanos()));
    };
  }

  /** The call finished (answered, refused or dropped): gives its permit back, if it holds one. */
  void finished(ServerCall call, boolean refused) {
    if (call.holdsPermit) {
      call.holdsPermit = false;
      limiter.release(clock.nanoTime() - call.permitNanos, !refused && !call.wasCallerReleased());
    }
  }

  /** The current concurrency limit, or {@link Integer#MAX_VALUE}. */
  int limit() {
    return limiter == null ? Integer.MAX_VALUE : limiter.limit();
  }

  /** What the user's filter sees of one call. */
  private final class View implements IncomingCall {
    private final ServerCall call;
    private final int connectionCalls;

    View(ServerCall call, int connectionCalls) {
      this.call = call;
      this.connectionCalls = connectionCalls;
    }

    @Override
    public Class<?> iface() {
      return call.method.codec().method().getDeclaringClass();
    }

    @Override
    public Method method() {
      return call.method.codec().method();
    }

    @Override
    public int callsInFlight() {
      return callsInFlight.getAsInt();
    }

    @Override
    public int connectionCallsInFlight() {
      return connectionCalls;
    }

    @Override
    public int concurrencyLimit() {
      return limit();
    }

    @Override
    public java.util.Optional<dev.tether.CallerIdentity> caller() {
      return call.node.attachment() instanceof dev.tether.CallerIdentity id
          ? java.util.Optional.of(id) : java.util.Optional.empty();
    }

    @Override
    public String toString() {
      return "incoming call of " + call.methodName();
    }
  }
}
