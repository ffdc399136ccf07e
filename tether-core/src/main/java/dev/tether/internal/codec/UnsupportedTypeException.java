package dev.tether.internal.codec;

/**
 * A Java type that the codec cannot encode or decode.
 *
 * <p>Thrown when a codec is built, never while encoding or decoding. The message names the type
 * and says why, for example {@code "unsupported type java.lang.Object: declare a concrete type
 * (record, enum, String, collection...)"}; {@link MethodCodec#of} prefixes the method and the
 * parameter index or {@code "return type"}.
 */
public final class UnsupportedTypeException extends IllegalArgumentException {

  /**
   * Creates an exception whose message names the type and the reason.
   *
   * @param msg the complete message
   */
  public UnsupportedTypeException(String msg) {
    super(msg);
  }
}
