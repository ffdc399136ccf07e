package dev.tether.internal.client;

import dev.tether.Idempotent;
import dev.tether.PendingCallWatch;
import dev.tether.RetryPolicy;
import dev.tether.TetherOptions;
import java.lang.reflect.Method;

/**
 * What a synchronous call of one method does beyond a single attempt, decided once when the proxy
 * is made: its retry policy, whether it may be retried after a dispatched failure, and the
 * handle's pending-call watch. Immutable.
 *
 * @param retry the method's retry policy
 * @param idempotent the method is marked {@link Idempotent}
 * @param watch the handle's pending-call watch, or null
 */
record MethodPlan(RetryPolicy retry, boolean idempotent, PendingCallWatch watch) {
  /** The plan of {@code m} under {@code options}; null when a call is one plain attempt. */
  static MethodPlan of(Method m, TetherOptions options) {
    RetryPolicy p = java.util.Arrays.asList(m.getParameterTypes()).contains(java.io.InputStream.class)
        ? RetryPolicy.none() // a stream argument is consumed by the first attempt
        : options.retryPolicy(m);
    PendingCallWatch w = options.pendingCallWatch();
    if (p.maxAttempts() == 1 && w == null) {
      return null;
    }
    return new MethodPlan(p, m.isAnnotationPresent(Idempotent.class), w);
  }
}
