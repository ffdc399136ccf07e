package dev.tether.internal.codec;

/**
 * Codec body of an enum type.
 *
 * <p>Wire format (after the presence byte): the constant's ordinal as a varint. Decoding rejects
 * an ordinal outside the enum. The schema lists the constant names, so reordering, renaming,
 * adding or removing a constant changes the method signatures that use the enum.
 */
final class EnumCodec extends BaseCodec {

  private final Class<?> type;
  private final Enum<?>[] constants;

  EnumCodec(Class<?> type) {
    this.type = type;
    this.constants = (Enum<?>[]) type.getEnumConstants();
  }

  @Override
  public void encode(ByteWriter out, Object value) {
    out.writeVarInt(((Enum<?>) value).ordinal());
  }

  @Override
  public Object decode(ByteReader in) {
    int ordinal = in.readVarInt();
    if (ordinal >= constants.length) {
      throw new DecodeException("ordinal " + ordinal + " out of range for enum "
          + type.getTypeName() + " with " + constants.length + " constants");
    }
    return constants[ordinal];
  }

  @Override
  void describe(SchemaWriter schema) {
    if (schema.define(type)) {
      schema.append(type.getSimpleName()).append("{");
      for (int i = 0; i < constants.length; i++) {
        schema.append(i == 0 ? "" : ",").append(constants[i].name());
      }
      schema.append("}");
    }
  }
}
