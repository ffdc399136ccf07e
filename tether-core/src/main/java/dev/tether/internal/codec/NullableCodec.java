package dev.tether.internal.codec;

/**
 * Adds the presence byte of a reference-typed value: 0 for null, 1 followed by the value.
 *
 * <p>This is the codec of every reference type; the wrapped codec only ever sees non-null values.
 */
final class NullableCodec extends BaseCodec {

  private final BaseCodec body;

  NullableCodec(BaseCodec body) {
    this.body = body;
  }

  @Override
  public void encode(ByteWriter out, Object value) {
    if (value == null) {
      out.writeByte(0);
    } else {
      out.writeByte(1);
      body.encode(out, value);
    }
  }

  @Override
  public Object decode(ByteReader in) {
    if (!in.readBoolean()) {
      return null;
    }
    in.charge(ByteReader.OBJECT_BYTES);
    return body.decode(in);
  }

  @Override
  void describe(SchemaWriter schema) {
    body.describe(schema);
  }
}
