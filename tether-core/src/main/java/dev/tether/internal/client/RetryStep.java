package dev.tether.internal.client;

import dev.tether.CallCancelledException;
import dev.tether.CallRefusedException;
import dev.tether.ErrorCode;
import dev.tether.RetryPolicy;
import dev.tether.ServerBusyException;
import dev.tether.TetherException;
import dev.tether.internal.cancel.CancelNode;
import dev.tether.internal.cancel.CancelReason;
import dev.tether.internal.time.Deadline;

/**
 * What follows a failed attempt under a {@link RetryPolicy}: another attempt after
 * {@link #delayNanos}, or none, and then the failure to report. One set of rules for synchronous
 * ({@link RetryingCall}) and asynchronous ({@link AsyncRetry}) calls. Immutable.
 *
 * @param delayNanos the wait before the next attempt; meaningless when {@code failure} is set
 * @param failure what the call ends with, or null when it is tried again
 */
record RetryStep(long delayNanos, TetherException failure) {

  /**
   * Whether {@code failure}, of attempt {@code n}, may be retried at all: busy refusals, and for
   * {@code @Idempotent} methods a dispatched attempt lost without an answer.
   */
  static boolean retryable(Throwable failure, boolean idempotent) {
    return failure instanceof ServerBusyException
        || idempotent && failure instanceof TetherException e && dispatchedWithoutAnswer(e);
  }

  /**
   * The step after attempt {@code n} failed with the retryable {@code failure}: no further attempt
   * once the policy's attempts are spent, the wait would pass the scope's deadline, or the
   * connection's retry budget is empty; else the policy's backoff, at least the server's
   * retry-after hint. Takes a token from {@code budget} when it retries.
   */
  static RetryStep after(RetryPolicy policy, int n, TetherException failure, CancelNode scope,
      RetryBudget budget) {
    ServerBusyException.StopReason stop = null;
    long delay = 0;
    if (n >= policy.maxAttempts()) {
      stop = policy.maxAttempts() == 1 ? ServerBusyException.StopReason.NO_RETRIES
          : ServerBusyException.StopReason.MAX_ATTEMPTS;
    } else {
      delay = policy.backoffNanos(n);
      if (failure instanceof CallRefusedException r && r.retryAfter().isPresent()) {
        delay = Math.max(delay, r.retryAfter().get().toNanos());
      }
      Deadline d = scope == null ? null : scope.deadline();
      if (d != null && d.remainingNanos() <= delay) {
        stop = ServerBusyException.StopReason.DEADLINE;
      } else if (!budget.tryWithdraw()) {
        stop = ServerBusyException.StopReason.BUDGET;
      }
    }
    if (stop == null) {
      return new RetryStep(delay, null);
    }
    return new RetryStep(0, stopped(failure, n, stop));
  }

  /**
   * What a call that makes no further attempt after attempt {@code n} failed with {@code failure}
   * ends with: a busy refusal says how many attempts were made and why they stopped; any other
   * failure is reported as it is.
   */
  private static TetherException stopped(TetherException failure, int n,
      ServerBusyException.StopReason stop) {
    return failure instanceof ServerBusyException b
        ? new ServerBusyException(b.code(), b.lastRefusal(), b.retryAfter().orElse(null), n, stop)
        : failure;
  }

  /**
   * How a call ends when {@code why} cut its wait for attempt {@code n + 1} short (or came right
   * after it), {@code last} being attempt {@code n}'s failure: a deadline that passes then ends it
   * as {@link #after} ends a call whose wait would pass the deadline (a busy refusal stopped
   * because of the DEADLINE, or the failure itself), whether the wait was judged too long in
   * advance or the deadline came first because the wait overran. Returns null for any other
   * cancel, or before any attempt ({@code last} null): the call ends as never sent.
   */
  static TetherException cutShort(CancelReason why, TetherException last, int n) {
    if (last == null || !why.deadline()) {
      return null;
    }
    return stopped(last, n, ServerBusyException.StopReason.DEADLINE);
  }

  /**
   * Failures of a dispatched attempt after which the method may or may not have run: the
   * connection or the worker was lost. Refusals, cancellations and the method's own exceptions
   * are not among them.
   */
  static boolean dispatchedWithoutAnswer(TetherException e) {
    if (e instanceof CallRefusedException || e instanceof CallCancelledException) {
      return false;
    }
    ErrorCode c = e.code();
    return c == ErrorCode.UNAVAILABLE || c == ErrorCode.LIVENESS_LOST
        || c == ErrorCode.WORKER_CRASHED || c == ErrorCode.WORKER_HUNG
        || c == ErrorCode.WORKER_RESTARTED;
  }
}
