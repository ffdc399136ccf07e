package dev.tether.internal.client;

/**
 * Where a proxy's calls go: the connection that serves new calls now. A handle whose worker may
 * be replaced (a supervised worker) returns the current worker's connection, so proxies follow a
 * restart; a plain handle returns its one connection. {@link #current()} is on every call's path:
 * in the steady state it must be a volatile read and nothing more.
 */
public interface ConnectionSource {
  /**
   * The connection for a new call.
   *
   * @throws dev.tether.TetherException when no call can be made now (the handle is shut down,
   *     or its worker failed for good); the exception says why
   */
  ClientConnection current();

  /** Where the calls go, for {@code toString} of proxies. */
  String describe();
}
