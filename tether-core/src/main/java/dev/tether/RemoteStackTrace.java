package dev.tether;

/**
 * A server-side exception as it arrived at the client: class name, message and stack trace as the
 * server recorded them, with the server's causes chained as further {@code RemoteStackTrace}s.
 * It is never thrown on its own; it is the cause of what the call throws.
 */
public final class RemoteStackTrace extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String remoteType;

  /** Creates one link of a server-side exception chain. */
  public RemoteStackTrace(String remoteType, String message, StackTraceElement[] stack,
      RemoteStackTrace cause) {
    super(message, cause, false, true);
    this.remoteType = remoteType;
    setStackTrace(stack);
  }

  /** Fully qualified class name of the server-side exception. */
  public String remoteType() {
    return remoteType;
  }

  @Override
  public String toString() {
    String m = getMessage();
    return "[server] " + (m == null ? remoteType : remoteType + ": " + m);
  }
}
