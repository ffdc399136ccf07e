package dev.tether.internal.codec;

import java.util.Optional;

/**
 * Codec body of {@code Optional<T>}.
 *
 * <p>Wire format (after the presence byte of the Optional itself): the value as if it were a
 * nullable T, that is 0 for empty, or 1 followed by the value.
 */
final class OptionalCodec extends BaseCodec {

  private final BaseCodec value;

  /**
   * Creates the codec.
   *
   * @param value the codec of T, with its presence byte
   */
  OptionalCodec(BaseCodec value) {
    this.value = value;
  }

  @Override
  public void encode(ByteWriter out, Object v) {
    out.enterNested();
    value.encode(out, ((Optional<?>) v).orElse(null));
    out.exitNested();
  }

  @Override
  public Object decode(ByteReader in) {
    in.enterNested();
    Optional<Object> v = Optional.ofNullable(value.decode(in));
    in.exitNested();
    return v;
  }

  @Override
  void describe(SchemaWriter schema) {
    schema.append("Optional<").append(value).append(">");
  }
}
