package dev.tether.internal.codec;

/**
 * Malformed or hostile input: bytes that do not decode to a value of the expected type.
 *
 * <p>Unchecked. The connection that delivered the bytes cannot be trusted any more and is closed
 * with a protocol error. Decoding never throws anything else for bad bytes.
 */
public final class DecodeException extends RuntimeException {

  /**
   * Creates an exception describing what was wrong with the input.
   *
   * @param msg what was malformed, and where if known
   */
  public DecodeException(String msg) {
    super(msg);
  }

  /**
   * Creates an exception for input that a record's constructor or a collection rejected.
   *
   * @param msg what was malformed
   * @param cause the exception thrown by the code that rejected the decoded values
   */
  public DecodeException(String msg, Throwable cause) {
    super(msg, cause);
  }
}
