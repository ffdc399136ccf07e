package dev.tether.internal.wire;

/**
 * A frame being built is larger than its receiver accepts; nothing was sent. Internal: whoever
 * builds a frame for a user's call turns it into a {@code TetherException} with
 * {@code RESOURCE_EXHAUSTED} and a message that names the call.
 */
public final class FrameTooLargeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int length;
  private final int limit;

  /** Creates the exception for a frame of {@code length} bytes against a limit of {@code limit}. */
  public FrameTooLargeException(int length, int limit) {
    super(length + " bytes, more than the receiver's frame limit of " + limit + " bytes");
    this.length = length;
    this.limit = limit;
  }

  /** The frame's length in bytes. */
  public int length() {
    return length;
  }

  /** The receiver's limit in bytes. */
  public int limit() {
    return limit;
  }
}
