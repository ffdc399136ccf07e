package dev.tether.internal.wire;

/**
 * The peer could not be authenticated (or would not authenticate itself): the connection is
 * refused with {@code UNAUTHENTICATED}. The message is in the user's terms and never contains a
 * secret.
 */
public final class AuthenticationException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public AuthenticationException(String message) {
    super(message);
  }
}
