package dev.tether.internal.codec;

import java.util.Map;

/**
 * Codec bodies of the eight primitive array types.
 *
 * <p>Wire format (after the presence byte): a varint element count, then the elements with the
 * same fixed width as the primitive itself (boolean 1 byte, 0 or 1; byte 1; short and char 2;
 * int and float 4; long and double 8). Primitive arrays are leaves and do not count as a nesting
 * level. Decoding checks count times width against the remaining bytes before allocating.
 */
final class PrimitiveArrayCodecs {

  private static final Map<Class<?>, BaseCodec> CODECS = Map.of(
      boolean[].class, new BooleanArray(),
      byte[].class, new ByteArray(),
      short[].class, new ShortArray(),
      char[].class, new CharArray(),
      int[].class, new IntArray(),
      long[].class, new LongArray(),
      float[].class, new FloatArray(),
      double[].class, new DoubleArray());

  private PrimitiveArrayCodecs() {}

  /** Returns the codec body for a primitive array class, or null for any other class. */
  static BaseCodec forClass(Class<?> c) {
    return CODECS.get(c);
  }

  private static int readLength(ByteReader in, int width) {
    int n = in.readVarInt();
    if ((long) n * width > in.remaining()) {
      throw new DecodeException("array of " + n + " elements of " + width
          + " byte(s) exceeds the " + in.remaining() + " remaining bytes");
    }
    in.charge(ByteReader.OBJECT_BYTES + (long) n * width);
    return n;
  }

  private static final class BooleanArray extends BaseCodec.Named {
    BooleanArray() {
      super("boolean[]");
    }

    @Override
    public void encode(ByteWriter out, Object value) {
      boolean[] a = (boolean[]) value;
      out.writeVarInt(a.length);
      for (boolean v : a) {
        out.writeBoolean(v);
      }
    }

    @Override
    public Object decode(ByteReader in) {
      boolean[] a = new boolean[readLength(in, 1)];
      for (int i = 0; i < a.length; i++) {
        a[i] = in.readBoolean();
      }
      return a;
    }
  }

  private static final class ByteArray extends BaseCodec.Named {
    ByteArray() {
      super("byte[]");
    }

    @Override
    public void encode(ByteWriter out, Object value) {
      byte[] a = (byte[]) value;
      out.writeVarInt(a.length);
      out.writeBytes(a, 0, a.length);
    }

    @Override
    public Object decode(ByteReader in) {
      return in.readBytes(readLength(in, 1));
    }
  }

  private static final class ShortArray extends BaseCodec.Named {
    ShortArray() {
      super("short[]");
    }

    @Override
    public void encode(ByteWriter out, Object value) {
      short[] a = (short[]) value;
      out.writeVarInt(a.length);
      for (short v : a) {
        out.writeShort(v);
      }
    }

    @Override
    public Object decode(ByteReader in) {
      short[] a = new short[readLength(in, 2)];
      for (int i = 0; i < a.length; i++) {
        a[i] = in.readShort();
      }
      return a;
    }
  }

  private static final class CharArray extends BaseCodec.Named {
    CharArray() {
      super("char[]");
    }

    @Override
    public void encode(ByteWriter out, Object value) {
      char[] a = (char[]) value;
      out.writeVarInt(a.length);
      for (char v : a) {
        out.writeChar(v);
      }
    }

    @Override
    public Object decode(ByteReader in) {
      char[] a = new char[readLength(in, 2)];
      for (int i = 0; i < a.length; i++) {
        a[i] = in.readChar();
      }
      return a;
    }
  }

  private static final class IntArray extends BaseCodec.Named {
    IntArray() {
      super("int[]");
    }

    @Override
    public void encode(ByteWriter out, Object value) {
      int[] a = (int[]) value;
      out.writeVarInt(a.length);
      for (int v : a) {
        out.writeInt(v);
      }
    }

    @Override
    public Object decode(ByteReader in) {
      int[] a = new int[readLength(in, 4)];
      for (int i = 0; i < a.length; i++) {
        a[i] = in.readInt();
      }
      return a;
    }
  }

  private static final class LongArray extends BaseCodec.Named {
    LongArray() {
      super("long[]");
    }

    @Override
    public void encode(ByteWriter out, Object value) {
      long[] a = (long[]) value;
      out.writeVarInt(a.length);
      for (long v : a) {
        out.writeLong(v);
      }
    }

    @Override
    public Object decode(ByteReader in) {
      long[] a = new long[readLength(in, 8)];
      for (int i = 0; i < a.length; i++) {
        a[i] = in.readLong();
      }
      return a;
    }
  }

  private static final class FloatArray extends BaseCodec.Named {
    FloatArray() {
      super("float[]");
    }

    @Override
    public void encode(ByteWriter out, Object value) {
      float[] a = (float[]) value;
      out.writeVarInt(a.length);
      for (float v : a) {
        out.writeFloat(v);
      }
    }

    @Override
    public Object decode(ByteReader in) {
      float[] a = new float[readLength(in, 4)];
      for (int i = 0; i < a.length; i++) {
        a[i] = in.readFloat();
      }
      return a;
    }
  }

  private static final class DoubleArray extends BaseCodec.Named {
    DoubleArray() {
      super("double[]");
    }

    @Override
    public void encode(ByteWriter out, Object value) {
      double[] a = (double[]) value;
      out.writeVarInt(a.length);
      for (double v : a) {
        out.writeDouble(v);
      }
    }

    @Override
    public Object decode(ByteReader in) {
      double[] a = new double[readLength(in, 8)];
      for (int i = 0; i < a.length; i++) {
        a[i] = in.readDouble();
      }
      return a;
    }
  }
}
