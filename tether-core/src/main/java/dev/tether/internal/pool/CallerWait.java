package dev.tether.internal.pool;

import dev.tether.CallCancelledException;
import dev.tether.DeadlineExceededException;
import dev.tether.ErrorCode;
import dev.tether.TetherException;
import dev.tether.internal.cancel.CancelNode;
import dev.tether.internal.cancel.ThreadCancelState;
import dev.tether.internal.time.Clock;
import dev.tether.internal.time.Deadline;
import java.util.function.Supplier;

/**
 * A caller's wait for a free worker: bounded by the pool's maximum wait and by the caller's
 * deadline, ended by its scope's cancellation (a listener on its {@link CancelNode}), by a cancel
 * of its thread when cancellation is enabled there (a {@link WaitCanceller} pushed as the thread's
 * innermost cancel object), and by an interrupt (the flag is restored). Runs under the pool's lock
 * except while registering and unregistering those; the exception is built on the waiting thread.
 */
final class CallerWait {
  private CallerWait() {}

  /**
   * Waits until {@code waiter} is granted a worker or fails.
   *
   * @throws TetherException how the wait failed; a slot granted meanwhile is given back first
   */
  static PoolCore.Grant await(PoolCore pool, Waiter waiter, CancelNode node) {
    long maxWaitEnd = Clock.system().nanoTime() + pool.spec.maxWait().toNanos();
    CancelNode.Removal inScope = node == null ? null : node.addListener(r ->
        pool.failWaiter(waiter, () -> PoolMessages.cancelled(r,
            "while waiting for a free worker of " + pool.describe())));
    ThreadCancelState thread = ThreadCancelState.currentIfEnabled();
    WaitCanceller canceller = thread == null ? null : new WaitCanceller(pool, waiter);
    if (canceller != null) {
      thread.push(canceller);
    }
    PoolActions a = new PoolActions();
    boolean interrupted = false;
    Supplier<TetherException> fail;
    PooledWorker granted;
    try {
      pool.lock.lock();
      try {
        while (waiter.worker == null && waiter.failure == null) {
          long remaining = maxWaitEnd - Clock.system().nanoTime();
          boolean deadlineFirst = false;
          Deadline deadline = node == null ? null : node.deadline();
          if (deadline != null && deadline.remainingNanos() < remaining) {
            remaining = deadline.remainingNanos();
            deadlineFirst = true;
          }
          if (remaining <= 0) {
            String state = pool.describeLocked();
            waiter.fail(deadlineFirst
                ? () -> new DeadlineExceededException(CallCancelledException.Outcome.NOT_SENT,
                    "deadline exceeded while waiting for a free worker of " + state)
                : () -> new TetherException(ErrorCode.POOL_EXHAUSTED, "no worker of " + state
                    + " became free within " + pool.spec.maxWait() + " (maxWait)"));
            break;
          }
          try {
            waiter.condition.awaitNanos(remaining);
          } catch (InterruptedException e) {
            interrupted = true;
            String state = pool.describeLocked();
            waiter.fail(() -> new CallCancelledException(CallCancelledException.Outcome.NOT_SENT,
                "interrupted while waiting for a free worker of " + state));
            break;
          }
        }
        waiter.done = true;
        pool.waiters.remove(waiter);
        fail = waiter.failure;
        granted = waiter.worker;
        if (fail != null && granted != null) {
          // granted and failed at once: give the slot back
          pool.releaseLocked(granted, PoolCore.Outcome.OK, a);
        }
      } finally {
        pool.lock.unlock();
      }
    } finally {
      if (canceller != null) {
        thread.pop(canceller);
      }
      if (inScope != null) {
        inScope.remove();
      }
      pool.lifecycle().run(a);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    if (fail != null) {
      throw fail.get();
    }
    return new PoolCore.Grant(granted, false);
  }

}
