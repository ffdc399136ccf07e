package dev.tether;

import java.lang.reflect.Method;

/**
 * What an {@link IncomingCallFilter} sees of a call before it is dispatched: which method, and the
 * server's load at that moment. The arguments are not decoded yet (a refused call costs no
 * decoding). Valid only during the filter's invocation; thread-safe.
 */
public interface IncomingCall {
  /** The exported interface called. */
  Class<?> iface();

  /** The interface method called. */
  Method method();

  /** Calls the server is serving now, this one included (orphans and answers being written too). */
  int callsInFlight();

  /** Calls running now on the connection this call came on, this one included. */
  int connectionCallsInFlight();

  /**
   * The server's current concurrency limit ({@link ConcurrencyLimit}), or
   * {@link Integer#MAX_VALUE} when it has none.
   */
  int concurrencyLimit();

  /**
   * Who is calling, as the connection authenticated it (see {@link CallerIdentity}); empty when
   * the connection has not said (a test double, say).
   */
  default java.util.Optional<CallerIdentity> caller() {
    return java.util.Optional.empty();
  }
}
