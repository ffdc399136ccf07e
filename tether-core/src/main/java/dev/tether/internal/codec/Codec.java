package dev.tether.internal.codec;

/**
 * Encodes and decodes values of one Java type to and from the Tether binary format.
 *
 * <p>Implementations obtained from {@link Codecs#forType} are immutable and thread-safe. A codec
 * for a reference type writes a presence byte before the value, so {@code null} is accepted; a
 * codec for a primitive type does not, and its value must not be {@code null}.
 *
 * @param <T> the type of the values
 */
public interface Codec<T> {

  /**
   * Appends the encoding of {@code value} to {@code out}.
   *
   * @throws IllegalArgumentException if the value is nested deeper than 512 levels (for example
   *     a list that contains itself); {@code out} then holds a partial encoding and must be
   *     {@linkplain ByteWriter#reset() reset}
   */
  void encode(ByteWriter out, T value);

  /**
   * Reads one value from {@code in}, advancing it past the value's bytes.
   *
   * @throws DecodeException if the bytes are truncated, malformed or describe an impossible value
   */
  T decode(ByteReader in);
}
