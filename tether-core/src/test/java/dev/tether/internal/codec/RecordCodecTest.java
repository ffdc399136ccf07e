package dev.tether.internal.codec;

import static dev.tether.internal.codec.CodecTesting.assertRoundTrips;
import static dev.tether.internal.codec.CodecTesting.decode;
import static dev.tether.internal.codec.CodecTesting.encode;
import static dev.tether.internal.codec.CodecTesting.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecordCodecTest {

  enum Color { RED, GREEN }

  private record Point(int x, int y) {}

  private record Line(Point from, Point to, String label) {}

  private record Prims(boolean z, byte b, short s, char c, int i, long l, float f, double d) {}

  private record Empty() {}

  private record Pair<A, B>(A first, B second) {}

  private record Bag<T>(T[] items, List<T> list, Optional<T> best) {}

  private record Node(String value, List<Node> kids) {}

  private record Tree<T>(T value, List<Tree<T>> kids) {}

  private record Author(String name, List<Book> books) {}

  private record Book(String title, Author author) {}

  private record Chain(int value, Chain next) {}

  private record Positive(int value) {
    Positive {
      if (value <= 0) {
        throw new IllegalArgumentException("value must be positive: " + value);
      }
    }
  }

  private static Chain chain(int length) {
    Chain c = null;
    for (int i = 0; i < length; i++) {
      c = new Chain(i, c);
    }
    return c;
  }

  @Test
  void privateRecordsRoundTripThroughTheirCanonicalConstructor() {
    assertRoundTrips(Point.class, new Point(Integer.MIN_VALUE, 7));
    assertRoundTrips(Line.class, new Line(new Point(1, 2), null, "\u00e9"));
    assertRoundTrips(Line.class, null);
    assertThat(encode(Point.class, new Point(1, 2))).containsExactly(1, 0, 0, 0, 1, 0, 0, 0, 2);
  }

  @Test
  void publicRecordsRoundTrip() {
    assertRoundTrips(PublicRecords.Money.class,
        new PublicRecords.Money(new BigDecimal("12.50"), "EUR"));
    assertRoundTrips(new TypeRef<PublicRecords.Tagged<Color>>() {}.type(),
        new PublicRecords.Tagged<>(List.of(Color.GREEN), -5));
  }

  @Test
  void localRecordsRoundTrip() {
    record Local(String name, double[] weights) {}
    assertRoundTrips(Local.class, new Local("w", new double[] {Double.NaN, 1.5}));
  }

  @Test
  void everyPrimitiveComponentRoundTripsWithoutPresenceBytes() {
    Prims p = new Prims(true, Byte.MIN_VALUE, Short.MAX_VALUE, '\ud83d', Integer.MIN_VALUE,
        Long.MAX_VALUE, Float.NaN, -0.0);
    assertRoundTrips(Prims.class, p);
    assertThat(encode(Prims.class, p)).hasSize(1 + 1 + 1 + 2 + 2 + 4 + 8 + 4 + 8);
  }

  @Test
  void emptyRecordsTakeOnlyThePresenceByte() {
    assertRoundTrips(Empty.class, new Empty());
    assertThat(encode(Empty.class, new Empty())).containsExactly(1);
  }

  @Test
  void genericRecordsResolveTheirTypeArguments() {
    assertRoundTrips(new TypeRef<Pair<String, Integer>>() {}.type(), new Pair<>("a", null));
    Type nested = new TypeRef<Pair<List<String>, Pair<Integer, Color>>>() {}.type();
    assertRoundTrips(nested, new Pair<>(List.of("x"), new Pair<>(3, Color.GREEN)));
    assertRoundTrips(new TypeRef<Pair<int[], Map<Color, Point>>>() {}.type(),
        new Pair<>(new int[] {1}, Map.of(Color.RED, new Point(0, 0))));
  }

  @Test
  void genericArrayComponentsDecodeIntoArraysOfTheResolvedClass() {
    Type bag = new TypeRef<Bag<String>>() {}.type();
    Bag<String> value = new Bag<>(new String[] {"a", null}, List.of("b"), Optional.of("c"));
    assertRoundTrips(bag, value);
    @SuppressWarnings("unchecked")
    Bag<String> back = (Bag<String>) roundTrip(bag, value);
    String[] items = back.items();
    assertThat(items).containsExactly("a", null);
  }

  @Test
  void recursiveRecordsRoundTrip() {
    Node tree = new Node("root", List.of(new Node("a", List.of()),
        new Node("b", List.of(new Node("c", null)))));
    assertRoundTrips(Node.class, tree);
    Type generic = new TypeRef<Tree<Integer>>() {}.type();
    assertRoundTrips(generic, new Tree<>(1, List.of(new Tree<>(2, List.of()))));
  }

  @Test
  void mutuallyRecursiveRecordsRoundTrip() {
    Author a = new Author("ann", List.of(new Book("b1", null), new Book("b2",
        new Author("bob", List.of()))));
    assertRoundTrips(Author.class, a);
    assertRoundTrips(Book.class, new Book("t", a));
  }

  @Test
  void exceptionsFromTheCanonicalConstructorBecomeDecodeExceptions() {
    byte[] negative = {1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
    assertThatThrownBy(() -> decode(Positive.class, negative))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("rejected the decoded values")
        .hasMessageContaining("value must be positive: -1")
        .hasCauseInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void encodingACycleFailsWithIllegalArgumentNotStackOverflow() {
    List<Node> kids = new ArrayList<>();
    Node loop = new Node("loop", kids);
    kids.add(loop);
    assertThatThrownBy(() -> encode(Node.class, loop))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("value nested deeper than 512 levels (is there a cycle?)");
  }

  @Test
  void chainsOf512RecordsRoundTripAnd513AreRejectedBothWays() {
    assertRoundTrips(Chain.class, chain(512));
    assertThatThrownBy(() -> encode(Chain.class, chain(513)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nested deeper than 512 levels");

    ByteWriter out = new ByteWriter(16);
    for (int i = 0; i < 513; i++) {
      out.writeByte(1);
      out.writeInt(i);
    }
    out.writeByte(0);
    byte[] tooDeep = java.util.Arrays.copyOf(out.array(), out.size());
    assertThatThrownBy(() -> decode(Chain.class, tooDeep))
        .isInstanceOf(DecodeException.class).hasMessageContaining("nested deeper than 512");
  }

  @Test
  void recordCodecsAreSharedBetweenTypesThatContainThem() {
    Codec<Object> node = Codecs.forType(Node.class);
    Codecs.forType(new TypeRef<List<Node>>() {}.type());
    assertThat(Codecs.forType(Node.class)).isSameAs(node);
  }
}
