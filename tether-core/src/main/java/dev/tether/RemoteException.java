package dev.tether;

/**
 * The server method threw. Carries the server exception's class name and message; its
 * {@linkplain #getCause() cause} is a {@link RemoteStackTrace} holding the server-side stack and
 * causes. The exception's own stack is the caller's, where the call was made.
 *
 * <p>Only a <em>checked</em> exception declared in the interface method's {@code throws} clause
 * that has a public {@code (String)} constructor is rethrown as itself (with the same cause);
 * every other exception arrives as a {@code RemoteException}.
 */
public final class RemoteException extends TetherException {
  private static final long serialVersionUID = 1L;

  private final String remoteType;
  private final String remoteMessage;

  /** Creates the exception from what the server sent. */
  public RemoteException(String remoteType, String remoteMessage, RemoteStackTrace serverSide) {
    super(ErrorCode.REMOTE_EXCEPTION,
        remoteMessage == null ? remoteType : remoteType + ": " + remoteMessage, serverSide);
    this.remoteType = remoteType;
    this.remoteMessage = remoteMessage;
  }

  /** Fully qualified class name of the exception the server method threw. */
  public String remoteType() {
    return remoteType;
  }

  /** Message of the server's exception, or null. */
  public String remoteMessage() {
    return remoteMessage;
  }

  /** The server-side stack and causes. */
  public RemoteStackTrace serverStack() {
    return (RemoteStackTrace) getCause();
  }
}
