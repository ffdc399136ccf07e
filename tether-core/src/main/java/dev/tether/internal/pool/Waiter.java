package dev.tether.internal.pool;

import dev.tether.TetherException;
import java.util.concurrent.locks.Condition;
import java.util.function.Supplier;

/**
 * A caller waiting for a free worker. Guarded by the pool's lock: a releaser grants it a worker
 * (the slot is taken for it at once, so nobody can barge in), or a canceller, its deadline, the
 * pool's maximum wait or a shutdown fails it; either way its condition is signalled.
 */
final class Waiter {
  final Condition condition;
  PooledWorker worker;
  /** Builds the exception on the waiting thread, so its stack trace is the caller's. */
  Supplier<TetherException> failure;
  /** Set when the caller has consumed the outcome; later cancels find nothing to do. */
  boolean done;
  volatile boolean cancelRequested;

  Waiter(Condition condition) {
    this.condition = condition;
  }

  /** Fails the wait unless it ended already. Returns true if this call failed it. Under lock. */
  boolean fail(Supplier<TetherException> why) {
    if (done || failure != null) {
      return false;
    }
    failure = why;
    condition.signal();
    return true;
  }
}
