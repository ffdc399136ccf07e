package dev.tether.internal.transport;

import java.io.IOException;

/**
 * A TLS handshake or record failed: the peer could not be authenticated (its certificate is not
 * trusted, names another host, or it sent none when one is required) or does not speak TLS. The
 * message says so in the user's terms; the JDK's exception is the cause. The layer that knows the
 * user's operation turns it into an {@code UNAUTHENTICATED} failure.
 */
public final class TlsException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message for the user and the JDK's reason. */
  public TlsException(String message, Throwable cause) {
    super(message, cause);
  }
}
