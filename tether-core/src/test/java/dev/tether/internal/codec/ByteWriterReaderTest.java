package dev.tether.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ByteWriterReaderTest {

  private static ByteReader readerOf(ByteWriter w) {
    return new ByteReader(w.array(), 0, w.size());
  }

  private static ByteReader readerOf(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return new ByteReader(b, 0, b.length);
  }

  @Test
  void fixedWidthValuesRoundTripBigEndianAndGrowTheBuffer() {
    ByteWriter w = new ByteWriter(0);
    w.writeByte(-1);
    w.writeBoolean(true);
    w.writeShort(Short.MIN_VALUE);
    w.writeChar('\uffff');
    w.writeInt(0x01020304);
    w.writeLong(Long.MIN_VALUE);
    w.writeFloat(Float.NaN);
    w.writeDouble(-0.0);
    assertThat(w.size()).isEqualTo(1 + 1 + 2 + 2 + 4 + 8 + 4 + 8);
    assertThat(Arrays.copyOfRange(w.array(), 6, 10)).containsExactly(1, 2, 3, 4);

    ByteReader r = readerOf(w);
    assertThat(r.readByte()).isEqualTo((byte) -1);
    assertThat(r.readBoolean()).isTrue();
    assertThat(r.readShort()).isEqualTo(Short.MIN_VALUE);
    assertThat(r.readChar()).isEqualTo('\uffff');
    assertThat(r.readInt()).isEqualTo(0x01020304);
    assertThat(r.readLong()).isEqualTo(Long.MIN_VALUE);
    assertThat(r.readFloat()).isNaN();
    assertThat(Double.doubleToRawLongBits(r.readDouble()))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThat(r.remaining()).isZero();
  }

  @Test
  void varIntsUseLeb128AndRoundTripAtEveryBoundary() {
    int[] values = {0, 1, 127, 128, 16383, 16384, (1 << 21) - 1, 1 << 21, (1 << 28) - 1, 1 << 28,
        Integer.MAX_VALUE};
    int[] sizes = {1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5};
    for (int i = 0; i < values.length; i++) {
      ByteWriter w = new ByteWriter(1);
      w.writeVarInt(values[i]);
      assertThat(w.size()).as("size of %d", values[i]).isEqualTo(sizes[i]);
      ByteReader r = readerOf(w);
      assertThat(r.readVarInt()).isEqualTo(values[i]);
      assertThat(r.remaining()).isZero();
    }
    ByteWriter w = new ByteWriter(4);
    w.writeVarInt(300);
    assertThat(Arrays.copyOf(w.array(), 2)).containsExactly(0xAC, 0x02);
  }

  @Test
  void writeVarIntRejectsNegativeValues() {
    assertThatThrownBy(() -> new ByteWriter(4).writeVarInt(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
  }

  @Test
  void varLongsUseZigZagAndRoundTripAnyLong() {
    long[] values = {0, -1, 1, -64, 63, 64, Integer.MIN_VALUE, Integer.MAX_VALUE,
        Long.MIN_VALUE, Long.MAX_VALUE};
    for (long v : values) {
      ByteWriter w = new ByteWriter(1);
      w.writeVarLong(v);
      ByteReader r = readerOf(w);
      assertThat(r.readVarLong()).isEqualTo(v);
      assertThat(r.remaining()).isZero();
    }
    ByteWriter w = new ByteWriter(1);
    w.writeVarLong(-1);
    w.writeVarLong(Long.MIN_VALUE);
    assertThat(w.size()).isEqualTo(1 + 10);
    assertThat(w.array()[0]).isEqualTo((byte) 1);
  }

  @Test
  void malformedVarIntsAreRejected() {
    assertThatThrownBy(() -> readerOf(0x80, 0x00).readVarInt())
        .isInstanceOf(DecodeException.class).hasMessageContaining("overlong");
    assertThatThrownBy(() -> readerOf(0xFF, 0xFF, 0xFF, 0xFF, 0x08).readVarInt())
        .isInstanceOf(DecodeException.class).hasMessageContaining("negative or too long");
    assertThatThrownBy(() -> readerOf(0xFF, 0xFF, 0xFF, 0xFF, 0x8F, 0x01).readVarInt())
        .isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> readerOf(0x80, 0x80).readVarInt())
        .isInstanceOf(DecodeException.class).hasMessageContaining("truncated");
  }

  @Test
  void malformedVarLongsAreRejected() {
    assertThatThrownBy(() -> readerOf(0x81, 0x80, 0x00).readVarLong())
        .isInstanceOf(DecodeException.class).hasMessageContaining("overlong");
    int[] elevenBytes = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x81, 0x01};
    assertThatThrownBy(() -> readerOf(elevenBytes).readVarLong())
        .isInstanceOf(DecodeException.class).hasMessageContaining("longer than 64 bits");
    int[] tenthByteTwo = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02};
    assertThatThrownBy(() -> readerOf(tenthByteTwo).readVarLong())
        .isInstanceOf(DecodeException.class);
  }

  @Test
  void readsPastTheEndOfTheSliceAreRejected() {
    byte[] buf = {1, 2, 3, 4, 5, 6, 7, 8};
    ByteReader r = new ByteReader(buf, 2, 3);
    assertThat(r.position()).isEqualTo(2);
    assertThatThrownBy(r::readInt).isInstanceOf(DecodeException.class)
        .hasMessageContaining("truncated");
    assertThat(r.readShort()).isEqualTo((short) 0x0304);
    assertThat(r.readByte()).isEqualTo((byte) 5);
    assertThatThrownBy(r::readByte).isInstanceOf(DecodeException.class);
    assertThatThrownBy(r::readLong).isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> r.readBytes(1)).isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> r.readBytes(-1)).isInstanceOf(DecodeException.class);
  }

  @Test
  void booleansOtherThanZeroOrOneAreRejected() {
    assertThatThrownBy(() -> readerOf(2).readBoolean()).isInstanceOf(DecodeException.class)
        .hasMessageContaining("expected 0 or 1");
  }

  @Test
  void readCountRejectsCountsLargerThanTheRemainingBytes() {
    ByteReader ok = readerOf(2, 0, 0);
    assertThat(ok.readCount()).isEqualTo(2);
    ByteReader hostile = readerOf(0xFF, 0xFF, 0xFF, 0xFF, 0x07);
    assertThatThrownBy(hostile::readCount).isInstanceOf(DecodeException.class)
        .hasMessageContaining("exceeds the 0 remaining bytes");
  }

  @Test
  void resetReusesTheReaderOnAnotherSlice() {
    ByteReader r = readerOf(1);
    r.enterNested();
    r.reset(new byte[] {9, 8, 7}, 1, 2);
    assertThat(r.remaining()).isEqualTo(2);
    assertThat(r.readByte()).isEqualTo((byte) 8);
    assertThatThrownBy(() -> r.reset(new byte[2], 1, 2))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void skipAndPutIntPatchAReservedLength() {
    ByteWriter w = new ByteWriter(2);
    w.skip(4);
    w.writeString("abc");
    w.putInt(0, w.size() - 4);
    ByteReader r = readerOf(w);
    assertThat(r.readInt()).isEqualTo(4);
    assertThat(r.readString()).isEqualTo("abc");
    assertThatThrownBy(() -> w.putInt(w.size() - 3, 1))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void resetKeepsCapacityAndClearsSizeAndDepth() {
    ByteWriter w = new ByteWriter(1);
    w.writeLong(1);
    for (int i = 0; i < 512; i++) {
      w.enterNested();
    }
    byte[] array = w.array();
    w.reset();
    assertThat(w.size()).isZero();
    assertThat(w.array()).isSameAs(array);
    w.enterNested();
  }

  @Test
  void writerDepthGuardRejectsTheFiveHundredThirteenthLevel() {
    ByteWriter w = new ByteWriter(1);
    for (int i = 0; i < 512; i++) {
      w.enterNested();
    }
    assertThatThrownBy(w::enterNested).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("value nested deeper than 512 levels (is there a cycle?)");
  }

  @Test
  void readerDepthGuardRejectsTheFiveHundredThirteenthLevel() {
    ByteReader r = readerOf();
    for (int i = 0; i < 512; i++) {
      r.enterNested();
    }
    r.exitNested();
    r.enterNested();
    assertThatThrownBy(r::enterNested).isInstanceOf(DecodeException.class)
        .hasMessageContaining("nested deeper than 512 levels");
  }

  @Test
  void writeBytesAppendsASliceWithoutLength() {
    ByteWriter w = new ByteWriter(0);
    w.writeBytes(new byte[] {1, 2, 3, 4}, 1, 2);
    assertThat(Arrays.copyOf(w.array(), w.size())).containsExactly(2, 3);
    assertThat(readerOf(w).readBytes(2)).containsExactly(2, 3);
  }
}
