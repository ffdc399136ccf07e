package dev.tether.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class StringEncodingTest {

  private static byte[] encode(String s) {
    ByteWriter w = new ByteWriter(0);
    w.writeString(s);
    return Arrays.copyOf(w.array(), w.size());
  }

  private static String decode(byte[] bytes) {
    ByteReader r = new ByteReader(bytes, 0, bytes.length);
    String s = r.readString();
    assertThat(r.remaining()).isZero();
    return s;
  }

  private static byte[] withLength(int... utf8) {
    byte[] b = new byte[utf8.length + 1];
    b[0] = (byte) utf8.length;
    for (int i = 0; i < utf8.length; i++) {
      b[i + 1] = (byte) utf8[i];
    }
    return b;
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "ascii only", "caf\u00e9 na\u00efve \u00ff\u0080", "\u65e5\u672c\u8a9e",
      "\ud83d\ude00 and \ud83c\udf89", "\u0000\u007f\u0080\u07ff\u0800\uffff", "\ud7ff\ue000"})
  void wellFormedStringsAreStandardUtf8AndRoundTrip(String s) {
    byte[] bytes = encode(s);
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    assertThat(Arrays.copyOfRange(bytes, bytes.length - utf8.length, bytes.length))
        .isEqualTo(utf8);
    assertThat(decode(bytes)).isEqualTo(s);
  }

  @Test
  void longAsciiStringsTakeAMultiByteLengthPrefix() {
    String s = "x".repeat(200_000);
    byte[] bytes = encode(s);
    assertThat(bytes).hasSize(3 + 200_000);
    assertThat(decode(bytes)).isEqualTo(s);
  }

  @Test
  void longStringsWithANonAsciiTailRoundTrip() {
    String s = "a".repeat(127) + "\u00e9" + "\ud83d\ude00".repeat(1000);
    assertThat(decode(encode(s))).isEqualTo(s);
  }

  @Test
  void unpairedSurrogatesRoundTripExactly() {
    for (String s : new String[] {"\ud800", "\udc00", "a\udbffb", "\udc00\ud800", "x\ud83d"}) {
      assertThat(decode(encode(s))).isEqualTo(s);
    }
  }

  @Test
  void malformedUtf8IsRejected() {
    int[][] malformed = {
        {0xC0, 0x80}, {0xE0, 0x80, 0x80}, {0xF0, 0x80, 0x80, 0x80}, {0xF4, 0x90, 0x80, 0x80},
        {0xF8, 0x80, 0x80, 0x80}, {0x80}, {0xC3}, {0xE2, 0x82}, {0xC3, 0x41},
        {0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80}};
    for (int[] bytes : malformed) {
      assertThatThrownBy(() -> decode(withLength(bytes)))
          .as("bytes %s", Arrays.toString(bytes))
          .isInstanceOf(DecodeException.class).hasMessageContaining("malformed UTF-8");
    }
  }

  @Test
  void stringLengthBeyondTheInputIsRejected() {
    byte[] bytes = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, 'a'};
    assertThatThrownBy(() -> decode(bytes)).isInstanceOf(DecodeException.class)
        .hasMessageContaining("truncated");
  }
}
