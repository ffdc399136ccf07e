package dev.tether.internal.codec;

/**
 * Malformed or hostile input: bytes that do not decode to a value of the expected type.
 *
 * <p>Unchecked. The connection that delivered the bytes cannot be trusted any more and is closed
 * with a protocol error. Decoding never throws anything else for bad bytes.
 */
public final class DecodeException extends RuntimeException {
  private final boolean overBudget;

  /**
   * Creates an exception describing what was wrong with the input.
   *
   * @param msg what was malformed, and where if known
   */
  public DecodeException(String msg) {
    super(msg);
    this.overBudget = false;
  }

  private DecodeException(String msg, boolean overBudget) {
    super(msg);
    this.overBudget = overBudget;
  }

  /**
   * Well-formed input that would decode to more memory than the reader allows (see
   * {@link ByteReader#limitDecodedBytes}): the value is refused, but the bytes were not hostile in
   * form, so the connection may stay usable.
   */
  public static DecodeException overBudget(String msg) {
    return new DecodeException(msg, true);
  }

  /** True when the input was refused for its decoded size, not for its form. */
  public boolean isOverBudget() {
    return overBudget;
  }

  /**
   * Creates an exception for input that a record's constructor or a collection rejected.
   *
   * @param msg what was malformed
   * @param cause the exception thrown by the code that rejected the decoded values
   */
  public DecodeException(String msg, Throwable cause) {
    super(msg, cause);
    this.overBudget = false;
  }
}
