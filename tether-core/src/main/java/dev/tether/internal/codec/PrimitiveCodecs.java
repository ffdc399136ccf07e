package dev.tether.internal.codec;

import java.util.Map;

/**
 * Codecs of the primitive types, their boxes and {@link String}.
 *
 * <p>Wire format: boolean 1 byte (0 or 1); byte 1; short and char 2; int and float 4; long and
 * double 8, all big-endian, floats as raw IEEE 754 bits. A String is a varint UTF-8 byte length
 * followed by the bytes. The same bodies serve the boxes, which the factory wraps in a
 * {@link NullableCodec}; primitive codecs are used unwrapped and never see null.
 */
final class PrimitiveCodecs {

  private static final Map<Class<?>, BaseCodec> CODECS = Map.ofEntries(
      Map.entry(boolean.class, new BooleanCodec("boolean")),
      Map.entry(Boolean.class, new BooleanCodec("Boolean")),
      Map.entry(byte.class, new ByteCodec("byte")),
      Map.entry(Byte.class, new ByteCodec("Byte")),
      Map.entry(short.class, new ShortCodec("short")),
      Map.entry(Short.class, new ShortCodec("Short")),
      Map.entry(char.class, new CharCodec("char")),
      Map.entry(Character.class, new CharCodec("Character")),
      Map.entry(int.class, new IntCodec("int")),
      Map.entry(Integer.class, new IntCodec("Integer")),
      Map.entry(long.class, new LongCodec("long")),
      Map.entry(Long.class, new LongCodec("Long")),
      Map.entry(float.class, new FloatCodec("float")),
      Map.entry(Float.class, new FloatCodec("Float")),
      Map.entry(double.class, new DoubleCodec("double")),
      Map.entry(Double.class, new DoubleCodec("Double")),
      Map.entry(String.class, new StringCodec()));

  private PrimitiveCodecs() {}

  /** Returns the codec body for a primitive, box or String class, or null for any other class. */
  static BaseCodec forClass(Class<?> c) {
    return CODECS.get(c);
  }

  private static final class BooleanCodec extends BaseCodec.Named {
    BooleanCodec(String name) {
      super(name);
    }

    @Override
    public void encode(ByteWriter out, Object value) {
      out.writeBoolean((Boolean) value);
    }

    @Override
    public Object decode(ByteReader in) {
      return in.readBoolean();
    }
  }

  private static final class ByteCodec extends BaseCodec.Named {
    ByteCodec(String name) {
      super(name);
    }

    @Override
    public void encode(ByteWriter out, Object value) {
      out.writeByte((Byte) value);
    }

    @Override
    public Object decode(ByteReader in) {
      return in.readByte();
    }
  }

  private static final class ShortCodec extends BaseCodec.Named {
    ShortCodec(String name) {
      super(name);
    }

    @Override
    public void encode(ByteWriter out, Object value) {
      out.writeShort((Short) value);
    }

    @Override
    public Object decode(ByteReader in) {
      return in.readShort();
    }
  }

  private static final class CharCodec extends BaseCodec.Named {
    CharCodec(String name) {
      super(name);
    }

    @Override
    public void encode(ByteWriter out, Object value) {
      out.writeChar((Character) value);
    }

    @Override
    public Object decode(ByteReader in) {
      return in.readChar();
    }
  }

  private static final class IntCodec extends BaseCodec.Named {
    IntCodec(String name) {
      super(name);
    }

    @Override
    public void encode(ByteWriter out, Object value) {
      out.writeInt((Integer) value);
    }

    @Override
    public Object decode(ByteReader in) {
      return in.readInt();
    }
  }

  private static final class LongCodec extends BaseCodec.Named {
    LongCodec(String name) {
      super(name);
    }

    @Override
    public void encode(ByteWriter out, Object value) {
      out.writeLong((Long) value);
    }

    @Override
    public Object decode(ByteReader in) {
      return in.readLong();
    }
  }

  private static final class FloatCodec extends BaseCodec.Named {
    FloatCodec(String name) {
      super(name);
    }

    @Override
    public void encode(ByteWriter out, Object value) {
      out.writeFloat((Float) value);
    }

    @Override
    public Object decode(ByteReader in) {
      return in.readFloat();
    }
  }

  private static final class DoubleCodec extends BaseCodec.Named {
    DoubleCodec(String name) {
      super(name);
    }

    @Override
    public void encode(ByteWriter out, Object value) {
      out.writeDouble((Double) value);
    }

    @Override
    public Object decode(ByteReader in) {
      return in.readDouble();
    }
  }

  private static final class StringCodec extends BaseCodec.Named {
    StringCodec() {
      super("String");
    }

    @Override
    public void encode(ByteWriter out, Object value) {
      out.writeString((String) value);
    }

    @Override
    public Object decode(ByteReader in) {
      return in.readString();
    }
  }
}
