package dev.tether.internal.wire;

/** A frame to be sent is larger than the peer accepts. Nothing was sent. */
public final class FrameTooLargeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public FrameTooLargeException(int length, int max) {
    super("message of " + length + " bytes exceeds the frame limit of " + max
        + " bytes; send large data as a stream or raise maxFrameBytes on both sides");
  }
}
