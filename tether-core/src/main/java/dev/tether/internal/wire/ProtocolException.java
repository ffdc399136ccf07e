package dev.tether.internal.wire;

/** The peer broke the protocol. The connection that read it is closed; nothing else is harmed. */
public class ProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public ProtocolException(String message) {
    super(message);
  }

  /** Creates the exception with a cause (for example a decode failure). */
  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
