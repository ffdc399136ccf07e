package dev.tether.internal.client;

import dev.tether.CallCancelledException;
import dev.tether.CallCanceller;
import dev.tether.CancelResult;
import dev.tether.PendingCallWatch;
import dev.tether.RetryPolicy;
import dev.tether.TetherException;
import dev.tether.internal.cancel.CallContext;
import dev.tether.internal.cancel.CancelNode;
import dev.tether.internal.cancel.CancelReason;
import dev.tether.internal.cancel.Grace;
import dev.tether.internal.cancel.PendingWatches;
import dev.tether.internal.cancel.ThreadCancelState;
import dev.tether.internal.codec.MethodCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * One synchronous call with its attempts, retries and pending-call watches; the call's cancel
 * object across attempts (what a {@link dev.tether.PendingCallListener} gets). Each attempt is an
 * ordinary {@link PendingCall}; between attempts the caller's own thread waits (never a reader or
 * the timer), and that wait ends at once, as never sent, when the call is cancelled (by its
 * scope, by {@code Cancellation.cancel} of its thread, by this canceller, or by an interrupt).
 * Retried: busy refusals, and, for {@code @Idempotent} methods, dispatched attempts that failed
 * without an answer. Thread-safe: the attempt and cancellation state is guarded by a lock held
 * only to read or swap fields.
 */
final class RetryingCall extends WatchedCallInfo implements CallCanceller, CancelNode.Listener {
  /** One attempt: the plain call, reporting its {@link PendingCall} to this object. */
  interface Attempt {
    Object run(RetryingCall call) throws Throwable;
  }


  private final RetryPolicy policy;
  private final boolean idempotent;
  private final CancelNode scope;
  private final Thread caller = Thread.currentThread();
  private final Object lock = new Object();
  private PendingCall current; // guarded by lock
  private CancelReason cancelled; // guarded by lock; the first request's
  private boolean ended; // guarded by lock
  private boolean endedNotSent; // guarded by lock: ended by a cancel between attempts
  private boolean waiting; // guarded by lock: in the wait before a retry
  private volatile int attempts;

  private RetryingCall(MethodCodec codec, RetryPolicy policy, boolean idempotent,
      CancelNode scope) {
    super(codec, CLOCK.nanoTime());
    this.policy = policy;
    this.idempotent = idempotent;
    this.scope = scope;
  }

  /**
   * Makes the call under {@code plan} (null: no handle policy) with the watches that apply to it.
   * A call with neither retries nor watches is {@code attempt} itself.
   */
  static Object run(MethodPlan plan, MethodCodec codec, Attempt attempt,
      Supplier<ClientConnection> connection) throws Throwable {
    CancelNode scope = CallContext.current();
    List<PendingCallWatch> watches = new ArrayList<>(2);
    if (plan != null && plan.watch() != null) {
      watches.add(plan.watch());
    }
    if (PendingWatches.any()) {
      PendingWatches.collect(scope, watches);
    }
    RetryPolicy policy = plan == null ? RetryPolicy.none() : plan.retry();
    if (watches.isEmpty() && policy.maxAttempts() == 1) {
      return attempt.run(null);
    }
    RetryingCall call = new RetryingCall(codec, policy, plan != null && plan.idempotent(), scope);
    PendingWatcher watcher = watches.isEmpty() ? null
        : PendingWatcher.start(CLOCK, PendingWatcher.VIRTUAL, watches, call);
    try {
      return call.loop(attempt, connection);
    } finally {
      synchronized (call.lock) {
        call.ended = true;
        call.lock.notifyAll();
      }
      if (watcher != null) {
        watcher.stop(); // before the caller sees the outcome: no listener starts after it
      }
    }
  }

  private Object loop(Attempt attempt, Supplier<ClientConnection> connection) throws Throwable {
    RetryBudget budget = policy.maxAttempts() > 1 ? connection.get().retryBudget(policy) : null;
    if (budget != null) {
      budget.deposit();
    }
    TetherException failure = null;
    for (int n = 1; ; n++) {
      attempts = n;
      CancelReason why = cancelReason();
      if (why != null) {
        throw endedBetweenAttempts(why, failure, n - 1);
      }
      try {
        return attempt.run(this);
      } catch (TetherException e) {
        if (!RetryStep.retryable(e, idempotent)) {
          throw e;
        }
        failure = e;
      }
      RetryStep step = RetryStep.after(policy, n, failure, scope, budget);
      if (step.failure() != null) {
        throw step.failure();
      }
      waitToRetry(step.delayNanos(), failure, n);
    }
  }

  /**
   * Waits {@code nanos} on the caller's thread before the attempt after {@code n}, which failed
   * with {@code last}; throws when cancelled first (see {@link #endedBetweenAttempts}).
   */
  private void waitToRetry(long nanos, TetherException last, int n) {
    long until = CLOCK.nanoTime() + nanos;
    CancelNode.Removal inScope = scope == null ? null : scope.addListener(this);
    ThreadCancelState thread = ThreadCancelState.currentIfEnabled();
    if (thread != null) {
      thread.push(this);
    }
    boolean interrupted = false;
    synchronized (lock) {
      waiting = true;
      lock.notifyAll();
    }
    try {
      CancelReason why;
      while ((why = cancelReason()) == null) {
        long left = until - CLOCK.nanoTime();
        if (left <= 0) {
          return;
        }
        LockSupport.parkNanos(this, left);
        if (Thread.interrupted()) {
          interrupted = true;
          requestCancel(CancelReason.of("the calling thread was interrupted", 0));
        }
      }
      throw endedBetweenAttempts(why, last, n);
    } finally {
      synchronized (lock) {
        waiting = false;
      }
      if (thread != null) {
        thread.pop(this);
      }
      if (inScope != null) {
        inScope.remove();
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * What a call cancelled between attempts ends with: never sent again; a deadline after a
   * failed attempt ends it as {@link RetryStep#cutShort} says, other cancels as never sent.
   */
  private TetherException endedBetweenAttempts(CancelReason why, TetherException last, int n) {
    CallCancelledException notSent = notSent(why);
    TetherException deadline = RetryStep.cutShort(why, last, n);
    return deadline != null ? deadline : notSent;
  }

  private CallCancelledException notSent(CancelReason why) {
    synchronized (lock) {
      endedNotSent = true;
    }
    return new Outcome.Cancelled(CallCancelledException.Outcome.NOT_SENT, why).toException();
  }

  private CancelReason cancelReason() {
    synchronized (lock) {
      return cancelled;
    }
  }

  /** An attempt registered its pending call: a cancel requested earlier reaches it. */
  void started(PendingCall call) {
    CancelReason why;
    synchronized (lock) {
      current = call;
      why = cancelled;
    }
    if (why != null) {
      call.requestCancel(why);
    }
  }

  /** The attempt's pending call ended. */
  void attemptEnded() {
    synchronized (lock) {
      current = null;
    }
  }

  /** The scope was cancelled while waiting to retry. */
  @Override
  public void cancelled(CancelReason reason) {
    requestCancel(reason);
  }

  /** Records the cancel; returns the attempt in flight to pass it to, or null. */
  private PendingCall requestCancel(CancelReason reason) {
    PendingCall cur;
    synchronized (lock) {
      if (ended) {
        return null;
      }
      if (cancelled == null) {
        cancelled = reason;
      }
      cur = current;
    }
    if (cur == null) {
      LockSupport.unpark(caller);
    }
    return cur;
  }

  @Override
  public CancelResult cancel(Duration grace) {
    synchronized (lock) {
      if (ended) {
        return CancelResult.ALREADY_COMPLETE;
      }
    }
    PendingCall cur = requestCancel(CancelReason.of("cancelled by "
        + Thread.currentThread().getName(), Grace.toNanos(grace)));
    if (cur != null) {
      CancelResult r = cur.cancel(grace);
      return r == CancelResult.ALREADY_COMPLETE ? settled(Grace.toNanos(grace)) : r;
    }
    return cancelReason() == null ? CancelResult.ALREADY_COMPLETE : CancelResult.NOT_SENT;
  }

  /**
   * The attempt in flight had just ended when the cancel reached it: waits (at most
   * {@code nanos}) until the caller either ends with that attempt's answer or, retrying, waits
   * or stops, and says which.
   */
  private CancelResult settled(long nanos) {
    long end = CLOCK.nanoTime() + Math.min(nanos, java.util.concurrent.TimeUnit.SECONDS.toNanos(10));
    boolean interrupted = false;
    try {
      synchronized (lock) {
        long left;
        while (!ended && !waiting && (left = end - CLOCK.nanoTime()) > 0) {
          try {
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(lock, left);
          } catch (InterruptedException e) {
            interrupted = true;
            break;
          }
        }
        return ended && !endedNotSent ? CancelResult.ANSWERED : CancelResult.NOT_SENT;
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isCancelled() {
    return cancelReason() != null;
  }

  @Override
  public int attempts() {
    return attempts;
  }

  @Override
  public CallCanceller canceller() {
    return this;
  }

  @Override
  public String toString() {
    return "call of " + Answers.describe(codec) + " (attempt " + attempts + ")";
  }
}
