package dev.tether.internal.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Reads big-endian values from a slice of a byte array, checking every read.
 *
 * <p>Any read past the end of the slice, and any malformed value, throws {@link DecodeException};
 * no hostile input can make it throw anything else, allocate more than the slice could hold, or
 * recurse without bound. Not thread-safe.
 */
public final class ByteReader {

  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /** Default of {@link #limitDecodedBytes}: a slice may decode to this many times its size... */
  public static final int DEFAULT_DECODE_MULTIPLE = 16;
  /** ...but never less than this... */
  public static final long MIN_DECODED_BYTES = 64 * 1024;
  /** ...and never more than this, whatever its size. */
  public static final long DEFAULT_MAX_DECODED_BYTES = 64L * 1024 * 1024;
  /** Estimated bytes of any object decoded (header and a reference to it). */
  public static final int OBJECT_BYTES = 24;

  private byte[] buf;
  private int pos;
  private int limit;
  private int depth;
  private long decodedLeft; // estimated bytes the decoded value may still take
  private long decodedLimit;

  /**
   * Creates a reader of {@code len} bytes of {@code buf} starting at {@code off}.
   *
   * @throws IndexOutOfBoundsException if the slice is not inside {@code buf}
   */
  public ByteReader(byte[] buf, int off, int len) {
    reset(buf, off, len);
  }

  /**
   * Switches to another slice and clears the nesting depth, so one reader can serve many frames.
   *
   * @throws IndexOutOfBoundsException if the slice is not inside {@code buf}
   */
  public void reset(byte[] buf, int off, int len) {
    Objects.checkFromIndexSize(off, len, buf.length);
    this.buf = buf;
    this.pos = off;
    this.limit = off + len;
    this.depth = 0;
    limitDecodedBytes(decodedLimit(len, DEFAULT_DECODE_MULTIPLE, DEFAULT_MAX_DECODED_BYTES));
  }

  /**
   * The decoded-size limit for {@code len} input bytes: {@code multiple} times {@code len}, at
   * least {@link #MIN_DECODED_BYTES}, at most {@code max}.
   */
  public static long decodedLimit(int len, int multiple, long max) {
    return Math.min(max, Math.max(MIN_DECODED_BYTES, (long) multiple * len));
  }

  /**
   * Bounds the memory the decoded value may take, as estimated by {@link #charge}: past it,
   * decoding throws a {@link DecodeException#isOverBudget() DecodeException that is over budget}.
   * A count only bounds elements by the input's size; this bounds what they decode to (eight
   * million empty lists fit in 16 MiB and would take about 300 MB).
   */
  public void limitDecodedBytes(long bytes) {
    this.decodedLimit = bytes;
    this.decodedLeft = bytes;
  }

  /** Estimated bytes decoded so far from this slice. */
  public long decodedBytes() {
    return decodedLimit - decodedLeft;
  }

  /**
   * Counts {@code bytes} of memory about to be taken by a decoded value.
   *
   * @throws DecodeException (over budget) when the slice's decoded-size limit is passed
   */
  public void charge(long bytes) {
    if ((decodedLeft -= bytes) < 0) {
      throw DecodeException.overBudget("the value decodes to more than " + decodedLimit
          + " bytes (estimated) from " + (limit - pos) + " remaining input bytes at byte " + pos);
    }
  }

  /** Reads one byte. */
  public byte readByte() {
    if (pos >= limit) {
      throw truncated(1);
    }
    return buf[pos++];
  }

  /** Reads a boolean, which must be encoded as 0 or 1. */
  public boolean readBoolean() {
    byte b = readByte();
    if (b == 0) {
      return false;
    }
    if (b == 1) {
      return true;
    }
    throw new DecodeException("expected 0 or 1 at byte " + (pos - 1) + ", got " + b);
  }

  /** Reads 2 bytes, big-endian. */
  public short readShort() {
    need(2);
    short v = (short) SHORT.get(buf, pos);
    pos += 2;
    return v;
  }

  /** Reads a UTF-16 code unit as 2 bytes, big-endian. */
  public char readChar() {
    return (char) readShort();
  }

  /** Reads 4 bytes, big-endian. */
  public int readInt() {
    need(4);
    int v = (int) INT.get(buf, pos);
    pos += 4;
    return v;
  }

  /** Reads 8 bytes, big-endian. */
  public long readLong() {
    need(8);
    long v = (long) LONG.get(buf, pos);
    pos += 8;
    return v;
  }

  /** Reads the raw IEEE 754 bits of a float. */
  public float readFloat() {
    return Float.intBitsToFloat(readInt());
  }

  /** Reads the raw IEEE 754 bits of a double. */
  public double readDouble() {
    return Double.longBitsToDouble(readLong());
  }

  /**
   * Reads a non-negative int written by {@link ByteWriter#writeVarInt}.
   *
   * @throws DecodeException if the varint is truncated, longer than 5 bytes, overlong (ends in a
   *     zero group) or does not fit a non-negative int
   */
  public int readVarInt() {
    int b = readByte();
    if (b >= 0) {
      return b;
    }
    int result = b & 0x7F;
    for (int shift = 7; shift < 35; shift += 7) {
      b = readByte();
      if (shift == 28 && (b & 0xFF) > 0x07) {
        throw new DecodeException("varint at byte " + (pos - 5) + " is negative or too long");
      }
      result |= (b & 0x7F) << shift;
      if (b >= 0) {
        if (b == 0) {
          throw new DecodeException("overlong varint ending at byte " + (pos - 1));
        }
        return result;
      }
    }
    throw new AssertionError("unreachable");
  }

  /**
   * Reads a long written by {@link ByteWriter#writeVarLong} (zig-zag LEB128).
   *
   * @throws DecodeException if the varint is truncated, longer than 10 bytes or overlong
   */
  public long readVarLong() {
    long result = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      int b = readByte();
      if (shift == 63 && (b & 0xFF) > 0x01) {
        throw new DecodeException("varlong at byte " + (pos - 10) + " is longer than 64 bits");
      }
      result |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        if (b == 0 && shift > 0) {
          throw new DecodeException("overlong varlong ending at byte " + (pos - 1));
        }
        return (result >>> 1) ^ -(result & 1);
      }
    }
    throw new AssertionError("unreachable");
  }

  /**
   * Reads {@code len} raw bytes into a new array.
   *
   * @throws DecodeException if {@code len} is negative or more than {@link #remaining()}
   */
  public byte[] readBytes(int len) {
    if (len < 0) {
      throw new DecodeException("negative byte count " + len);
    }
    need(len);
    charge(OBJECT_BYTES + len);
    byte[] b = new byte[len];
    System.arraycopy(buf, pos, b, 0, len);
    pos += len;
    return b;
  }

  /** Reads a string written by {@link ByteWriter#writeString}; malformed UTF-8 is rejected. */
  public String readString() {
    int len = readVarInt();
    need(len);
    charge(2 * OBJECT_BYTES + 2L * len);
    String s = Utf8.decode(buf, pos, len);
    pos += len;
    return s;
  }

  /** Returns the number of unread bytes in the slice. */
  public int remaining() {
    return limit - pos;
  }

  /** Returns the index in the backing array of the next byte to read (like {@link java.nio.ByteBuffer#position()}). */
  public int position() {
    return pos;
  }

  /**
   * Records that the decoder entered one more container level.
   *
   * @throws DecodeException if the input is nested deeper than 512 levels
   */
  public void enterNested() {
    if (++depth > ByteWriter.MAX_DEPTH) {
      throw new DecodeException(
          "input nested deeper than " + ByteWriter.MAX_DEPTH + " levels at byte " + pos);
    }
  }

  /** Records that the decoder left a container level entered with {@link #enterNested()}. */
  public void exitNested() {
    depth--;
  }

  /**
   * Reads a varint element count and checks that the input could hold that many elements.
   *
   * <p>Every encoded element takes at least one byte, so a count above {@link #remaining()} is
   * impossible; rejecting it keeps a hostile count from causing a huge allocation.
   *
   * @throws DecodeException if the count is malformed or larger than {@link #remaining()}
   */
  public int readCount() {
    int n = readVarInt();
    if (n > limit - pos) {
      throw new DecodeException(
          "count " + n + " at byte " + pos + " exceeds the " + (limit - pos) + " remaining bytes");
    }
    charge(2 * OBJECT_BYTES + 8L * n); // the container and a reference per element
    return n;
  }

  private void need(int n) {
    if (n > limit - pos) {
      throw truncated(n);
    }
  }

  private DecodeException truncated(int n) {
    return new DecodeException("input truncated: need " + n + " byte(s) at byte " + pos
        + ", only " + (limit - pos) + " remain");
  }
}
