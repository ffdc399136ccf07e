package dev.tether.internal.codec;

import java.nio.charset.StandardCharsets;

/**
 * UTF-8 conversion for {@link ByteWriter#writeString} and {@link ByteReader#readString}.
 *
 * <p>Unpaired surrogates are encoded in their 3-byte form (as in WTF-8), so any Java string
 * round-trips exactly. Decoding is strict: overlong forms, code points above U+10FFFF, truncated
 * sequences and a surrogate pair spelled as two 3-byte forms are rejected.
 */
final class Utf8 {

  private Utf8() {}

  /** Returns the number of bytes of the LEB128 form of the non-negative {@code v}. */
  static int varIntSize(int v) {
    return v < (1 << 7) ? 1 : v < (1 << 14) ? 2 : v < (1 << 21) ? 3 : v < (1 << 28) ? 4 : 5;
  }

  /** Copies the leading ASCII characters of {@code s} to {@code dst} at {@code pos}; returns how many. */
  static int copyAscii(String s, byte[] dst, int pos) {
    int n = s.length();
    int i = 0;
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        break;
      }
      dst[pos + i] = (byte) c;
    }
    return i;
  }

  /** Returns the number of bytes that characters {@code [from, length)} of {@code s} encode to. */
  static long encodedLength(String s, int from) {
    int n = s.length();
    long len = 0;
    for (int i = from; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        len += 1;
      } else if (c < 0x800) {
        len += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        len += 4;
        i++;
      } else {
        len += 3;
      }
    }
    return len;
  }

  /** Encodes all of {@code s} into {@code dst} from {@code pos}, which must have room; returns the end. */
  static int encode(String s, byte[] dst, int pos) {
    int n = s.length();
    int p = pos;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        dst[p++] = (byte) c;
      } else if (c < 0x800) {
        dst[p++] = (byte) (0xC0 | (c >> 6));
        dst[p++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        dst[p++] = (byte) (0xF0 | (cp >> 18));
        dst[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        dst[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        dst[p++] = (byte) (0x80 | (cp & 0x3F));
      } else {
        dst[p++] = (byte) (0xE0 | (c >> 12));
        dst[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        dst[p++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return p;
  }

  /** Decodes {@code len} bytes of {@code src} from {@code off}. */
  static String decode(byte[] src, int off, int len) {
    int end = off + len;
    int i = off;
    while (i < end && src[i] >= 0) {
      i++;
    }
    if (i == end) {
      return new String(src, off, len, StandardCharsets.ISO_8859_1);
    }
    char[] out = new char[len];
    int n = 0;
    for (int k = off; k < i; k++) {
      out[n++] = (char) src[k];
    }
    while (i < end) {
      int b = src[i++];
      if (b >= 0) {
        out[n++] = (char) b;
      } else if ((b & 0xE0) == 0xC0) {
        int c = ((b & 0x1F) << 6) | cont(src, i++, end);
        if (c < 0x80) {
          throw malformed("overlong 2-byte sequence", i - 2 - off);
        }
        out[n++] = (char) c;
      } else if ((b & 0xF0) == 0xE0) {
        int c = ((b & 0x0F) << 12) | (cont(src, i, end) << 6) | cont(src, i + 1, end);
        i += 2;
        if (c < 0x800) {
          throw malformed("overlong 3-byte sequence", i - 3 - off);
        }
        if (Character.isLowSurrogate((char) c) && n > 0 && Character.isHighSurrogate(out[n - 1])) {
          throw malformed("surrogate pair written as two 3-byte sequences", i - 3 - off);
        }
        out[n++] = (char) c;
      } else if ((b & 0xF8) == 0xF0) {
        int cp = ((b & 0x07) << 18) | (cont(src, i, end) << 12) | (cont(src, i + 1, end) << 6)
            | cont(src, i + 2, end);
        i += 3;
        if (cp < 0x10000 || cp > Character.MAX_CODE_POINT) {
          throw malformed("4-byte sequence outside U+10000..U+10FFFF", i - 4 - off);
        }
        out[n++] = Character.highSurrogate(cp);
        out[n++] = Character.lowSurrogate(cp);
      } else {
        throw malformed("invalid lead byte", i - 1 - off);
      }
    }
    return new String(out, 0, n);
  }

  private static int cont(byte[] src, int i, int end) {
    if (i >= end) {
      throw new DecodeException("malformed UTF-8: sequence truncated at the end of the string");
    }
    int b = src[i];
    if ((b & 0xC0) != 0x80) {
      throw new DecodeException("malformed UTF-8: expected a continuation byte, got 0x"
          + Integer.toHexString(b & 0xFF));
    }
    return b & 0x3F;
  }

  private static DecodeException malformed(String what, int at) {
    return new DecodeException("malformed UTF-8: " + what + " at byte " + at + " of the string");
  }
}
