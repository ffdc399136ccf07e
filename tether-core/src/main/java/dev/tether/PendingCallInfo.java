package dev.tether;

import java.lang.reflect.Method;
import java.time.Duration;

/**
 * What a {@link PendingCallListener} sees of a pending call. Thread-safe; the values describe the
 * call at the moment of the invocation.
 */
public interface PendingCallInfo {
  /** The remote interface of the call. */
  Class<?> iface();

  /** The interface method called. */
  Method method();

  /** Time since the call started (its first attempt, when it is retried). */
  Duration elapsed();

  /** Attempts made so far, at least 1 (more when the {@link RetryPolicy} retried it). */
  int attempts();

  /**
   * The call's cancel object: {@code canceller().cancel(grace)} cancels it (all its attempts,
   * and any retry it waits for) exactly as {@link Cancellation#cancel(Thread, Duration)} would.
   */
  CallCanceller canceller();
}
