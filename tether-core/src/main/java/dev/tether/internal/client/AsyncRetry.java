package dev.tether.internal.client;

import dev.tether.CallCancelledException;
import dev.tether.CallCanceller;
import dev.tether.CallMetadata;
import dev.tether.CancelResult;
import dev.tether.RetryPolicy;
import dev.tether.TetherException;
import dev.tether.internal.cancel.CallContext;
import dev.tether.internal.cancel.CancelNode;
import dev.tether.internal.cancel.CancelReason;
import dev.tether.internal.cancel.Grace;
import dev.tether.internal.cancel.HasCanceller;
import dev.tether.internal.time.Clock;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * An asynchronous call under a {@link RetryPolicy}: each attempt is an ordinary asynchronous call;
 * one that fails retryably ({@link RetryStep#retryable}) is tried again after the policy's
 * backoff, by a virtual thread the clock's timer starts (the timer itself runs nothing else),
 * under the same attempts, deadline and budget rules as a synchronous call. The future the caller
 * holds completes once, with the outcome of the last attempt. Cancelling it (through the future,
 * {@code Cancellation.cancel(future, grace)}, or the call's scope) cancels the attempt in flight,
 * or ends the wait for the next attempt at once as never sent.
 *
 * <p>Thread safety: one lock guards the attempt, wait and cancel state, held only to read or swap
 * fields; attempts are sent and cancelled outside it.
 */
final class AsyncRetry implements CallCanceller, CancelNode.Listener {
  private static final Clock CLOCK = Clock.system();
  /** Bound on waiting for an attempt being sent to be known, when cancelling it. */
  private static final long SENDING_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final RetryPolicy policy;
  private final boolean idempotent;
  private final CancelNode scope;
  /** The caller's metadata: every attempt carries it, whichever thread sends it. */
  private final CallMetadata metadata = CallContext.metadata();
  private final Supplier<CompletableFuture<Object>> attempt;
  private final RetryBudget budget;
  private final Result result = new Result();
  private final Object lock = new Object();
  private int attempts; // guarded by lock
  private CompletableFuture<Object> current; // guarded by lock: the attempt in flight
  private boolean sending; // guarded by lock: an attempt is being sent, current not known yet
  private Clock.Timer wait; // guarded by lock: the wait for the next attempt
  private CancelReason cancelled; // guarded by lock; the first request's
  private TetherException lastFailure; // guarded by lock: the last attempt's retryable failure
  private CancelNode.Removal inScope;

  private AsyncRetry(MethodPlan plan, CancelNode scope, Supplier<CompletableFuture<Object>> attempt,
      RetryBudget budget) {
    this.policy = plan.retry();
    this.idempotent = plan.idempotent();
    this.scope = scope;
    this.attempt = attempt;
    this.budget = budget;
  }

  /**
   * Starts the call: the first attempt on this thread. {@code attempt} sends one attempt and
   * returns its future (already failed when it could not be sent); it may throw for arguments
   * that cannot be sent, which the first attempt lets through to the caller.
   */
  static CompletableFuture<Object> start(MethodPlan plan, CancelNode scope,
      Supplier<CompletableFuture<Object>> attempt, RetryBudget budget) {
    AsyncRetry call = new AsyncRetry(plan, scope, attempt, budget);
    budget.deposit();
    if (scope != null) {
      call.inScope = scope.addListener(call);
    }
    try {
      call.next(true);
    } catch (RuntimeException e) {
      call.detach();
      throw e;
    }
    return call.result;
  }

  /** Sends the next attempt, unless cancelled. */
  private void next(boolean first) {
    CancelReason stop;
    synchronized (lock) {
      wait = null;
      stop = cancelled;
      if (stop == null) {
        attempts++;
        sending = true;
      }
    }
    if (stop != null) {
      finishNotSent(stop); // outside the lock: the caller's stages may run now
      return;
    }
    CompletableFuture<Object> f;
    try {
      f = sendInCallersContext();
    } catch (RuntimeException | Error e) {
      synchronized (lock) {
        sending = false;
        lock.notifyAll();
      }
      if (first) {
        throw e;
      }
      finish(null, e);
      return;
    }
    CancelReason why;
    synchronized (lock) {
      sending = false;
      current = f;
      why = cancelled;
      lock.notifyAll();
    }
    if (why != null && f instanceof HasCanceller h) { // cancelled while it was being sent
      Thread.ofVirtual().name("tether-cancel").start(
          () -> h.canceller().cancel(Duration.ofNanos(Math.max(0, why.graceNanos()))));
    }
    f.whenComplete(this::attemptEnded); // on the attempt's completing thread, never a reader
  }

  /**
   * Sends an attempt with the caller's scope and metadata current, so a retry (on a virtual thread
   * of its own) carries the deadline, joins the scope and propagates the metadata as the first
   * attempt did.
   */
  private CompletableFuture<Object> sendInCallersContext() {
    CancelNode previous = CallContext.enter(scope);
    CallMetadata previousMetadata = CallContext.setMetadata(metadata);
    try {
      return attempt.get();
    } finally {
      CallContext.setMetadata(previousMetadata);
      CallContext.restore(previous);
    }
  }

  private void attemptEnded(Object value, Throwable thrown) {
    Throwable t = thrown instanceof CompletionException && thrown.getCause() != null
        ? thrown.getCause() : thrown;
    boolean retryable = t != null && RetryStep.retryable(t, idempotent);
    int n;
    CancelReason why;
    synchronized (lock) {
      current = null;
      n = attempts;
      why = cancelled;
      if (retryable) {
        lastFailure = (TetherException) t;
      }
    }
    if (!retryable) {
      finish(value, t);
      return;
    }
    if (why != null) { // refused (or lost) and then cancelled: no attempt runs any more
      finishNotSent(why);
      return;
    }
    RetryStep step = RetryStep.after(policy, n, (TetherException) t, scope, budget);
    if (step.failure() != null) {
      finish(null, step.failure());
      return;
    }
    synchronized (lock) {
      why = cancelled;
      if (why == null) {
        wait = CLOCK.schedule(
            () -> Thread.ofVirtual().name("tether-retry").start(() -> next(false)),
            step.delayNanos());
      }
    }
    if (why != null) {
      finishNotSent(why); // outside the lock: the caller's stages may run now
    }
  }

  private void finish(Object value, Throwable thrown) {
    detach();
    if (thrown == null) {
      result.complete(value);
    } else {
      result.completeExceptionally(thrown);
    }
  }

  /**
   * Ends the call cancelled between attempts: as never sent, or, for a deadline after a failed
   * attempt, as {@link RetryStep#cutShort} says.
   */
  private void finishNotSent(CancelReason why) {
    TetherException last;
    int n;
    synchronized (lock) {
      last = lastFailure;
      n = attempts;
    }
    TetherException deadline = RetryStep.cutShort(why, last, n);
    finish(null, deadline != null ? deadline
        : new Outcome.Cancelled(CallCancelledException.Outcome.NOT_SENT, why).toException());
  }

  private void detach() {
    CancelNode.Removal r = inScope;
    if (r != null) {
      r.remove();
    }
  }

  /**
   * Records the cancel and returns the attempt in flight, or null after ending a wait for the next
   * attempt (the call then ended as never sent). Waits, bounded, while an attempt is being sent.
   */
  private CompletableFuture<Object> requestCancel(CancelReason reason) {
    Clock.Timer w;
    synchronized (lock) {
      if (cancelled == null) {
        cancelled = reason;
      }
      long end = CLOCK.nanoTime() + SENDING_WAIT_NANOS;
      long left;
      while (sending && (left = end - CLOCK.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      if (current != null) {
        return current;
      }
      w = wait;
      wait = null;
    }
    if (w != null) {
      w.cancel();
    }
    finishNotSent(reason); // between attempts (or not started): nothing is running
    return null;
  }

  @Override
  public CancelResult cancel(Duration grace) {
    if (result.isDone()) {
      return CancelResult.ALREADY_COMPLETE;
    }
    CompletableFuture<Object> cur = requestCancel(CancelReason.of("cancelled by "
        + Thread.currentThread().getName(), Grace.toNanos(grace)));
    if (cur instanceof HasCanceller h) {
      CancelResult r = h.canceller().cancel(grace); // its outcome completes the call's future
      return r == CancelResult.ANSWERED || r == CancelResult.ALREADY_COMPLETE ? settled(r) : r;
    }
    return result.isCompletedExceptionally() && cancelled() ? CancelResult.NOT_SENT
        : CancelResult.ALREADY_COMPLETE;
  }

  /**
   * The attempt ended by itself as the cancel reached it (a refusal, say): the call ended as its
   * future says, which is NOT_SENT when no attempt is to run any more. Waits, bounded, for it.
   */
  private CancelResult settled(CancelResult attemptResult) {
    try {
      result.get(SENDING_WAIT_NANOS, TimeUnit.NANOSECONDS);
      return attemptResult;
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause() instanceof CallCancelledException c
          && c.outcome() == CallCancelledException.Outcome.NOT_SENT
          ? CancelResult.NOT_SENT : attemptResult;
    } catch (java.util.concurrent.TimeoutException | CancellationException e) {
      return attemptResult;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return attemptResult;
    }
  }

  private boolean cancelled() {
    synchronized (lock) {
      return cancelled != null;
    }
  }

  /**
   * The scope was cancelled: the attempt in flight hears it through its own registration; a wait
   * for the next attempt ends on a virtual thread, because the cancelling thread may be a server's
   * reader cascading a cancel (or the timer), where the caller's stages must not run.
   */
  @Override
  public void cancelled(CancelReason reason) {
    synchronized (lock) {
      if (cancelled == null) {
        cancelled = reason;
      }
      if (current != null || sending) {
        return;
      }
    }
    Thread.ofVirtual().name("tether-cancel").start(() -> requestCancel(reason));
  }

  @Override
  public boolean isCancelled() {
    return cancelled();
  }

  /** The future the caller holds. */
  final class Result extends CompletableFuture<Object> implements HasCanceller {
    /** Attempts sent so far (for a pending-call listener). */
    int attempts() {
      synchronized (lock) {
        return attempts;
      }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      // first, so the future is the cancelled one whatever the attempt's end says
      boolean done = completeExceptionally(new CancellationException(
          "the remote call was cancelled through its future"));
      CompletableFuture<Object> cur = requestCancel(CancelReason.of("the future was cancelled", 0));
      if (cur != null) {
        cur.cancel(mayInterruptIfRunning);
      }
      return done || isCancelled();
    }

    @Override
    public CallCanceller canceller() {
      return AsyncRetry.this;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
      return new CompletableFuture<>();
    }
  }
}
