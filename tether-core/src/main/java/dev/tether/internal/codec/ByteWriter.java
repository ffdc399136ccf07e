package dev.tether.internal.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * Growable big-endian output buffer that codecs append to.
 *
 * <p>Not thread-safe: use one writer per thread or per frame. After an encoding failure the
 * contents are partial; call {@link #reset()} before reusing the writer.
 */
public final class ByteWriter {

  /** Deepest nesting of containers a value may have; also enforced by {@link ByteReader}. */
  static final int MAX_DEPTH = 512;

  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private byte[] buf;
  private int size;
  private int depth;

  /**
   * Creates an empty writer.
   *
   * @param initialCapacity bytes to allocate up front; the buffer grows as needed
   */
  public ByteWriter(int initialCapacity) {
    if (initialCapacity < 0) {
      throw new IllegalArgumentException("negative capacity " + initialCapacity);
    }
    buf = new byte[initialCapacity];
  }

  /** Appends the low 8 bits of {@code v}. */
  public void writeByte(int v) {
    ensure(1);
    buf[size++] = (byte) v;
  }

  /** Appends 1 for true, 0 for false. */
  public void writeBoolean(boolean v) {
    ensure(1);
    buf[size++] = (byte) (v ? 1 : 0);
  }

  /** Appends the low 16 bits of {@code v}, big-endian. */
  public void writeShort(int v) {
    ensure(2);
    SHORT.set(buf, size, (short) v);
    size += 2;
  }

  /** Appends the 16-bit UTF-16 code unit {@code v}, big-endian. */
  public void writeChar(char v) {
    writeShort(v);
  }

  /** Appends {@code v} as 4 bytes, big-endian. */
  public void writeInt(int v) {
    ensure(4);
    INT.set(buf, size, v);
    size += 4;
  }

  /** Appends {@code v} as 8 bytes, big-endian. */
  public void writeLong(long v) {
    ensure(8);
    LONG.set(buf, size, v);
    size += 8;
  }

  /** Appends the raw IEEE 754 bits of {@code v} (NaN payloads are kept), big-endian. */
  public void writeFloat(float v) {
    writeInt(Float.floatToRawIntBits(v));
  }

  /** Appends the raw IEEE 754 bits of {@code v} (NaN payloads are kept), big-endian. */
  public void writeDouble(double v) {
    writeLong(Double.doubleToRawLongBits(v));
  }

  /**
   * Appends a non-negative int as unsigned LEB128: 7 bits per byte, least significant group
   * first, high bit set on every byte but the last; 1 to 5 bytes.
   *
   * @throws IllegalArgumentException if {@code v} is negative
   */
  public void writeVarInt(int v) {
    if (v < 0) {
      throw new IllegalArgumentException("varint must not be negative: " + v);
    }
    ensure(5);
    size = putVarInt(buf, size, v);
  }

  /** Appends any long as zig-zag LEB128 (small magnitudes of either sign are short); 1 to 10 bytes. */
  public void writeVarLong(long v) {
    ensure(10);
    long z = (v << 1) ^ (v >> 63);
    int p = size;
    while ((z & ~0x7FL) != 0) {
      buf[p++] = (byte) ((z & 0x7F) | 0x80);
      z >>>= 7;
    }
    buf[p++] = (byte) z;
    size = p;
  }

  /** Appends {@code len} bytes of {@code b} starting at {@code off}, with no length prefix. */
  public void writeBytes(byte[] b, int off, int len) {
    Objects.checkFromIndexSize(off, len, b.length);
    ensure(len);
    System.arraycopy(b, off, buf, size, len);
    size += len;
  }

  /**
   * Appends a string as a varint byte length followed by its UTF-8 bytes.
   *
   * <p>ASCII strings take a single copying pass. Unpaired surrogates are written in their 3-byte
   * form (as in WTF-8) so that every Java string, even an ill-formed one, round-trips exactly.
   */
  public void writeString(String s) {
    int n = s.length();
    ensure(5L + n);
    int lengthSize = Utf8.varIntSize(n);
    int copied = Utf8.copyAscii(s, buf, size + lengthSize);
    if (copied == n) {
      putVarInt(buf, size, n);
      size += lengthSize + n;
      return;
    }
    long encoded = Utf8.encodedLength(s, copied) + copied;
    if (encoded > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("string too long to encode: " + encoded + " UTF-8 bytes");
    }
    writeVarInt((int) encoded);
    ensure(encoded);
    size = Utf8.encode(s, buf, size);
  }

  /** Returns the number of bytes written (or skipped) so far. */
  public int size() {
    return size;
  }

  /**
   * Overwrites 4 bytes at {@code index} with {@code v}, big-endian; used to patch a length
   * reserved with {@link #skip}.
   *
   * @throws IndexOutOfBoundsException unless {@code index + 4 <= size()}
   */
  public void putInt(int index, int v) {
    Objects.checkFromIndexSize(index, 4, size);
    INT.set(buf, index, v);
  }

  /** Reserves {@code n} bytes (their content is unspecified) to be patched later with {@link #putInt}. */
  public void skip(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("negative skip " + n);
    }
    ensure(n);
    size += n;
  }

  /**
   * Returns the backing array; bytes {@code [0, size())} are valid. The array is replaced when
   * the writer grows, so fetch it after writing.
   */
  public byte[] array() {
    return buf;
  }

  /**
   * Makes sure {@code n} more bytes fit without growing, so a caller may fill
   * {@code array()[size() .. size() + n)} directly and then {@link #truncate} to what it wrote.
   */
  public void reserve(int n) {
    ensure(n);
  }

  /**
   * Sets the size to {@code newSize}, which lies between the current size and what
   * {@link #reserve} made room for: bytes a caller wrote straight into {@link #array()} count.
   *
   * @throws IndexOutOfBoundsException if {@code newSize} is negative or beyond the capacity
   */
  public void truncate(int newSize) {
    Objects.checkIndex(newSize, buf.length + 1);
    size = newSize;
  }

  /** Forgets all bytes and the nesting depth, keeping the capacity. */
  public void reset() {
    size = 0;
    depth = 0;
  }

  /**
   * Records that the encoder entered one more container level.
   *
   * @throws IllegalArgumentException if the value is nested deeper than 512 levels
   */
  public void enterNested() {
    if (++depth > MAX_DEPTH) {
      throw new IllegalArgumentException(
          "value nested deeper than " + MAX_DEPTH + " levels (is there a cycle?)");
    }
  }

  /** Records that the encoder left a container level entered with {@link #enterNested()}. */
  public void exitNested() {
    depth--;
  }

  private void ensure(long n) {
    long needed = size + n;
    if (needed > buf.length) {
      grow(needed);
    }
  }

  private void grow(long needed) {
    if (needed > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("encoded value exceeds 2 GiB");
    }
    long doubled = Math.max(16L, 2L * buf.length);
    buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(doubled, needed)));
  }

  private static int putVarInt(byte[] b, int p, int v) {
    while ((v & ~0x7F) != 0) {
      b[p++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    b[p++] = (byte) v;
    return p;
  }
}
