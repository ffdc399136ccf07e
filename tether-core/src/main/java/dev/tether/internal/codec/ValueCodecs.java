package dev.tether.internal.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Codec bodies of the supported JDK value classes.
 *
 * <p>Wire format (after the presence byte): Instant and Duration are varlong seconds then varint
 * nanoseconds (0..999,999,999); UUID is the most then least significant long; BigInteger is a
 * varint length (at least 1) then its minimal two's-complement big-endian bytes; BigDecimal is
 * its scale as a varlong then its unscaled value as a BigInteger; OptionalInt, OptionalLong and
 * OptionalDouble are a 0/1 byte then, if 1, an int, long or double.
 */
final class ValueCodecs {

  private static final int NANOS_PER_SECOND = 1_000_000_000;

  private static final Map<Class<?>, BaseCodec> CODECS = Map.of(
      Instant.class, new InstantCodec(),
      Duration.class, new DurationCodec(),
      UUID.class, new UuidCodec(),
      BigInteger.class, new BigIntegerCodec(),
      BigDecimal.class, new BigDecimalCodec(),
      OptionalInt.class, new OptionalIntCodec(),
      OptionalLong.class, new OptionalLongCodec(),
      OptionalDouble.class, new OptionalDoubleCodec());

  private ValueCodecs() {}

  /** Returns the codec body for a supported JDK value class, or null for any other class. */
  static BaseCodec forClass(Class<?> c) {
    return CODECS.get(c);
  }

  private static int readNanos(ByteReader in) {
    int nanos = in.readVarInt();
    if (nanos >= NANOS_PER_SECOND) {
      throw new DecodeException("nanosecond field " + nanos + " is not below 1,000,000,000");
    }
    return nanos;
  }

  private static void writeBigInteger(ByteWriter out, BigInteger v) {
    byte[] bytes = v.toByteArray();
    out.writeVarInt(bytes.length);
    out.writeBytes(bytes, 0, bytes.length);
  }

  private static BigInteger readBigInteger(ByteReader in) {
    int len = in.readVarInt();
    if (len == 0) {
      throw new DecodeException("BigInteger with zero-length magnitude");
    }
    return new BigInteger(in.readBytes(len));
  }

  private static final class InstantCodec extends BaseCodec.Named {
    InstantCodec() {
      super("Instant");
    }

    @Override
    public void encode(ByteWriter out, Object value) {
      Instant v = (Instant) value;
      out.writeVarLong(v.getEpochSecond());
      out.writeVarInt(v.getNano());
    }

    @Override
    public Object decode(ByteReader in) {
      long seconds = in.readVarLong();
      int nanos = readNanos(in);
      if (seconds < Instant.MIN.getEpochSecond() || seconds > Instant.MAX.getEpochSecond()) {
        throw new DecodeException("Instant seconds " + seconds + " out of range");
      }
      return Instant.ofEpochSecond(seconds, nanos);
    }
  }

  private static final class DurationCodec extends BaseCodec.Named {
    DurationCodec() {
      super("Duration");
    }

    @Override
    public void encode(ByteWriter out, Object value) {
      Duration v = (Duration) value;
      out.writeVarLong(v.getSeconds());
      out.writeVarInt(v.getNano());
    }

    @Override
    public Object decode(ByteReader in) {
      long seconds = in.readVarLong();
      return Duration.ofSeconds(seconds, readNanos(in));
    }
  }

  private static final class UuidCodec extends BaseCodec.Named {
    UuidCodec() {
      super("UUID");
    }

    @Override
    public void encode(ByteWriter out, Object value) {
      UUID v = (UUID) value;
      out.writeLong(v.getMostSignificantBits());
      out.writeLong(v.getLeastSignificantBits());
    }

    @Override
    public Object decode(ByteReader in) {
      long most = in.readLong();
      return new UUID(most, in.readLong());
    }
  }

  private static final class BigIntegerCodec extends BaseCodec.Named {
    BigIntegerCodec() {
      super("BigInteger");
    }

    @Override
    public void encode(ByteWriter out, Object value) {
      writeBigInteger(out, (BigInteger) value);
    }

    @Override
    public Object decode(ByteReader in) {
      return readBigInteger(in);
    }
  }

  private static final class BigDecimalCodec extends BaseCodec.Named {
    BigDecimalCodec() {
      super("BigDecimal");
    }

    @Override
    public void encode(ByteWriter out, Object value) {
      BigDecimal v = (BigDecimal) value;
      out.writeVarLong(v.scale());
      writeBigInteger(out, v.unscaledValue());
    }

    @Override
    public Object decode(ByteReader in) {
      long scale = in.readVarLong();
      if (scale != (int) scale) {
        throw new DecodeException("BigDecimal scale " + scale + " does not fit an int");
      }
      return new BigDecimal(readBigInteger(in), (int) scale);
    }
  }

  private static final class OptionalIntCodec extends BaseCodec.Named {
    OptionalIntCodec() {
      super("OptionalInt");
    }

    @Override
    public void encode(ByteWriter out, Object value) {
      OptionalInt v = (OptionalInt) value;
      out.writeBoolean(v.isPresent());
      if (v.isPresent()) {
        out.writeInt(v.getAsInt());
      }
    }

    @Override
    public Object decode(ByteReader in) {
      return in.readBoolean() ? OptionalInt.of(in.readInt()) : OptionalInt.empty();
    }
  }

  private static final class OptionalLongCodec extends BaseCodec.Named {
    OptionalLongCodec() {
      super("OptionalLong");
    }

    @Override
    public void encode(ByteWriter out, Object value) {
      OptionalLong v = (OptionalLong) value;
      out.writeBoolean(v.isPresent());
      if (v.isPresent()) {
        out.writeLong(v.getAsLong());
      }
    }

    @Override
    public Object decode(ByteReader in) {
      return in.readBoolean() ? OptionalLong.of(in.readLong()) : OptionalLong.empty();
    }
  }

  private static final class OptionalDoubleCodec extends BaseCodec.Named {
    OptionalDoubleCodec() {
      super("OptionalDouble");
    }

    @Override
    public void encode(ByteWriter out, Object value) {
      OptionalDouble v = (OptionalDouble) value;
      out.writeBoolean(v.isPresent());
      if (v.isPresent()) {
        out.writeDouble(v.getAsDouble());
      }
    }

    @Override
    public Object decode(ByteReader in) {
      return in.readBoolean() ? OptionalDouble.of(in.readDouble()) : OptionalDouble.empty();
    }
  }
}
