package dev.tether.internal.server;

/**
 * What the server logs about connections (logger {@code dev.tether.server}): opened and closed
 * with the reason at DEBUG (a busy server opens many), a protocol error at WARNING, once per
 * connection (its close follows). Nothing per call is logged above DEBUG.
 */
final class ConnectionLog {
  static final System.Logger LOG = System.getLogger("dev.tether.server");

  private ConnectionLog() {}

  static void opened(String peer) {
    LOG.log(System.Logger.Level.DEBUG, () -> "connection from " + peer + " opened");
  }

  static void closed(String peer, String why) {
    LOG.log(System.Logger.Level.DEBUG, () -> "connection from " + peer + " closed: " + why);
  }

  static void protocolError(String peer, String message) {
    LOG.log(System.Logger.Level.WARNING, () -> "protocol error from " + peer + ": " + message
        + "; closing that connection");
  }
}
