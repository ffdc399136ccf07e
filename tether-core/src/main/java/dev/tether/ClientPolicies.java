package dev.tether;

import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;

/**
 * The message-filter settings of a {@link TetherOptions}: the handle's retry policy, per-method
 * overrides (keyed "interface name#method name") and the handle's pending-call watch (or null).
 * Immutable.
 */
record ClientPolicies(RetryPolicy retry, Map<String, RetryPolicy> perMethod,
    PendingCallWatch watch) {
  static final ClientPolicies NONE = new ClientPolicies(RetryPolicy.none(), Map.of(), null);

  ClientPolicies withRetry(RetryPolicy p) {
    return new ClientPolicies(p, perMethod, watch);
  }

  ClientPolicies withMethod(Class<?> iface, String method, RetryPolicy p) {
    Map<String, RetryPolicy> m = new HashMap<>(perMethod);
    m.put(iface.getName() + "#" + method, p);
    return new ClientPolicies(retry, Map.copyOf(m), watch);
  }

  ClientPolicies withWatch(PendingCallWatch w) {
    return new ClientPolicies(retry, perMethod, w);
  }

  RetryPolicy retryFor(Method m) {
    if (perMethod.isEmpty()) {
      return retry;
    }
    return perMethod.getOrDefault(m.getDeclaringClass().getName() + "#" + m.getName(), retry);
  }
}
