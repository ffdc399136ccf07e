package dev.tether.internal.codec;

import static dev.tether.internal.codec.CodecTesting.decode;
import static dev.tether.internal.codec.CodecTesting.encode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Decoding bad bytes must only ever throw DecodeException, promptly and without big allocations. */
class HostileInputTest {

  static Stream<Type> richTypes() {
    return Samples.richTypes().stream();
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  /** Decodes {@code input}; succeeding is fine, failing with anything but DecodeException is not. */
  private static void decodeOrDecodeException(Type type, byte[] input) {
    try {
      Codecs.forType(type).decode(new ByteReader(input, 0, input.length));
    } catch (DecodeException expected) {
      // the only acceptable failure
    } catch (Throwable t) {
      throw new AssertionError("decoding " + Arrays.toString(input) + " as " + type.getTypeName()
          + " threw " + t, t);
    }
  }

  private static void assertRejected(Type type, byte[] input, String messagePart) {
    assertThatThrownBy(() -> decode(type, input)).isInstanceOf(DecodeException.class)
        .hasMessageContaining(messagePart);
  }

  @ParameterizedTest
  @MethodSource("richTypes")
  void everyTruncationOfAValidEncodingIsRejected(Type type) {
    RandomValues random = new RandomValues(42);
    for (int v = 0; v < 25; v++) {
      byte[] full = encode(type, random.next(type));
      for (int len = 0; len < full.length; len++) {
        int cut = len;
        assertThatThrownBy(() -> Codecs.forType(type).decode(new ByteReader(full, 0, cut)))
            .as("prefix of %d of %d bytes", cut, full.length)
            .isInstanceOf(DecodeException.class);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("richTypes")
  void randomGarbageOnlyEverThrowsDecodeException(Type type) {
    Random random = new Random(7);
    for (int i = 0; i < 5000; i++) {
      byte[] garbage = new byte[random.nextInt(80)];
      random.nextBytes(garbage);
      if (garbage.length > 0 && random.nextBoolean()) {
        garbage[0] = 1;
      }
      decodeOrDecodeException(type, garbage);
    }
  }

  @ParameterizedTest
  @MethodSource("richTypes")
  void corruptedValidEncodingsOnlyEverThrowDecodeException(Type type) {
    RandomValues values = new RandomValues(3);
    Random random = new Random(11);
    for (int i = 0; i < 3000; i++) {
      byte[] bytes = encode(type, values.next(type));
      for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
        int at = random.nextInt(bytes.length);
        bytes[at] = (byte) (random.nextInt(4) == 0 ? 0xFF : bytes[at] ^ (1 << random.nextInt(8)));
      }
      decodeOrDecodeException(type, bytes);
    }
  }

  @Test
  void hugeCountsAndLengthsAreRejectedBeforeAllocating() {
    int[] max = {0xFF, 0xFF, 0xFF, 0xFF, 0x07};
    byte[] hugeCount = bytes(1, max[0], max[1], max[2], max[3], max[4], 1, 1);
    assertRejected(new TypeRef<List<String>>() {}.type(), hugeCount, "exceeds");
    assertRejected(new TypeRef<Set<Integer>>() {}.type(), hugeCount, "exceeds");
    assertRejected(new TypeRef<Map<String, String>>() {}.type(), hugeCount, "exceeds");
    assertRejected(String[].class, hugeCount, "exceeds");
    assertRejected(String.class, hugeCount, "truncated");
    assertRejected(byte[].class, hugeCount, "exceeds");
    assertRejected(BigInteger.class, hugeCount, "truncated");
    assertRejected(long[].class, bytes(1, 2, 0, 0, 0, 0, 0, 0, 0, 0), "exceeds");
    assertRejected(int[].class, bytes(1, 0x80, 0x01, 0, 0, 0, 0), "exceeds");
  }

  @Test
  void nestedHostileCountsCannotMultiplyPreallocation() {
    ByteWriter out = new ByteWriter(64);
    for (int level = 0; level < 400; level++) {
      out.writeByte(1);
      out.writeVarInt(1_000_000 - 5 * level);
    }
    out.writeBytes(new byte[1_000_000], 0, 1_000_000);
    byte[] input = Arrays.copyOf(out.array(), out.size());
    Type type = new TypeRef<Samples.Pair<List<Samples.Node>, String>>() {}.type();
    decodeOrDecodeException(new TypeRef<List<List<List<List<List<String>>>>>>() {}.type(), input);
    decodeOrDecodeException(type, input);
  }

  @Test
  void hundredThousandDeepRecursiveRecordsAreRejected() {
    ByteWriter links = new ByteWriter(1 << 20);
    ByteWriter kids = new ByteWriter(1 << 20);
    for (int i = 0; i < 100_000; i++) {
      links.writeBytes(bytes(1, 0, 0, 1, 1), 0, 5); // Node, no label, no kids, link present
      kids.writeBytes(bytes(1, 0, 1, 1), 0, 4); // Node, no label, kids list of 1 element
    }
    for (ByteWriter w : List.of(links, kids)) {
      byte[] input = Arrays.copyOf(w.array(), w.size());
      assertRejected(Samples.Node.class, input, "nested deeper than 512 levels");
    }
  }

  @Test
  void malformedScalarValuesAreRejected() {
    assertRejected(Samples.Mood.class, bytes(1, 4), "ordinal 4 out of range");
    assertRejected(Integer.class, bytes(2, 0, 0, 0, 0), "expected 0 or 1");
    assertRejected(boolean[].class, bytes(1, 1, 7), "expected 0 or 1");
    assertRejected(Instant.class, bytes(1, 0, 0x80, 0x94, 0xEB, 0xDC, 0x03), "nanosecond");
    assertRejected(Duration.class, bytes(1, 0, 0x80, 0x94, 0xEB, 0xDC, 0x03), "nanosecond");
    byte[] farFuture = bytes(1, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0);
    assertRejected(Instant.class, farFuture, "out of range");
    assertRejected(BigInteger.class, bytes(1, 0), "zero-length");
    assertRejected(BigDecimal.class, bytes(1, 0x80, 0x80, 0x80, 0x80, 0x20, 1, 1), "scale");
    assertRejected(String.class, bytes(1, 1, 0xFF), "malformed UTF-8");
  }

  @Test
  void nullsWhereSortedCollectionsCannotHoldThemAreRejected() {
    assertThatThrownBy(() -> decode(new TypeRef<SortedSet<String>>() {}.type(), bytes(1, 1, 0)))
        .isInstanceOf(DecodeException.class).hasMessageContaining("TreeSet")
        .hasCauseInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> decode(new TypeRef<SortedMap<String, String>>() {}.type(),
        bytes(1, 1, 0, 0))).isInstanceOf(DecodeException.class).hasMessageContaining("TreeMap");
  }

  @Test
  void trailingBytesAfterAValueAreLeftForTheCallerToReject() {
    ByteReader in = new ByteReader(bytes(1, 0, 0, 0, 5, 9), 0, 6);
    assertThat(Codecs.forType(Integer.class).decode(in)).isEqualTo(5);
    assertThat(in.remaining()).isEqualTo(1);
  }
}
