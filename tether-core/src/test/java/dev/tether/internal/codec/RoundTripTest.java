package dev.tether.internal.codec;

import static dev.tether.internal.codec.CodecTesting.assertRoundTrips;
import static dev.tether.internal.codec.CodecTesting.encode;
import static dev.tether.internal.codec.CodecTesting.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RoundTripTest {

  enum Color { RED, GREEN, BLUE }

  private static void assertAll(Type type, Object... values) {
    for (Object v : values) {
      assertRoundTrips(type, v);
    }
  }

  @Test
  void primitivesRoundTripTheirExtremesWithoutPresenceByte() {
    assertAll(boolean.class, true, false);
    assertAll(byte.class, Byte.MIN_VALUE, (byte) 0, Byte.MAX_VALUE);
    assertAll(short.class, Short.MIN_VALUE, (short) 0, Short.MAX_VALUE);
    assertAll(char.class, Character.MIN_VALUE, 'x', '\ud800', Character.MAX_VALUE);
    assertAll(int.class, Integer.MIN_VALUE, 0, Integer.MAX_VALUE);
    assertAll(long.class, Long.MIN_VALUE, 0L, Long.MAX_VALUE);
    assertAll(float.class, Float.MIN_VALUE, -0.0f, Float.MAX_VALUE, Float.NaN,
        Float.NEGATIVE_INFINITY);
    assertAll(double.class, Double.MIN_VALUE, -0.0, Double.MAX_VALUE, Double.NaN,
        Double.POSITIVE_INFINITY);
    assertThat(encode(int.class, 5)).containsExactly(0, 0, 0, 5);
    assertThat(encode(char.class, 'A')).containsExactly(0, 'A');
  }

  @Test
  void boxesRoundTripValuesAndNullWithAPresenceByte() {
    assertAll(Boolean.class, true, null);
    assertAll(Byte.class, Byte.MIN_VALUE, null);
    assertAll(Short.class, Short.MAX_VALUE, null);
    assertAll(Character.class, '\uffff', null);
    assertAll(Integer.class, Integer.MIN_VALUE, null);
    assertAll(Long.class, Long.MAX_VALUE, null);
    assertAll(Float.class, Float.NaN, null);
    assertAll(Double.class, Double.NEGATIVE_INFINITY, null);
    assertThat(encode(Integer.class, 5)).containsExactly(1, 0, 0, 0, 5);
    assertThat(encode(Integer.class, null)).containsExactly(0);
  }

  @Test
  void stringsRoundTripIncludingNullEmptyLatin1AndSurrogatePairs() {
    assertAll(String.class, null, "", "plain", "\u00e9\u00ff", "\ud83d\ude00", "\udc00 lone");
    assertThat(encode(String.class, "ab")).containsExactly(1, 2, 'a', 'b');
  }

  @Test
  void primitiveArraysRoundTripIncludingEmptyNullAndExtremes() {
    assertAll(boolean[].class, new boolean[] {true, false}, new boolean[0], null);
    assertAll(byte[].class, new byte[] {Byte.MIN_VALUE, 0, Byte.MAX_VALUE}, new byte[0], null);
    assertAll(short[].class, new short[] {Short.MIN_VALUE, Short.MAX_VALUE}, null);
    assertAll(char[].class, new char[] {'a', '\ud83d', '\uffff'}, new char[0]);
    assertAll(int[].class, new int[] {Integer.MIN_VALUE, -1, Integer.MAX_VALUE}, null);
    assertAll(long[].class, new long[] {Long.MIN_VALUE, Long.MAX_VALUE}, new long[0]);
    assertAll(float[].class, new float[] {Float.NaN, -0.0f, Float.MAX_VALUE}, null);
    assertAll(double[].class, new double[] {Double.NaN, Double.MIN_VALUE}, new double[0]);
    assertThat(encode(int[].class, new int[] {7})).containsExactly(1, 1, 0, 0, 0, 7);
  }

  @Test
  void referenceArraysRoundTripWithNullElementsAndKeepTheirRuntimeClass() {
    assertAll(String[].class, new String[] {"a", null, ""}, new String[0], null);
    assertAll(int[][].class, (Object) new int[][] {{1, 2}, null, {}});
    assertAll(Color[].class, (Object) new Color[] {Color.BLUE, null});
    Type listArray = new TypeRef<List<String>[]>() {}.type();
    @SuppressWarnings({"unchecked", "rawtypes"})
    List<String>[] lists = new List[] {List.of("x"), null, List.of()};
    assertAll(listArray, (Object) lists);
    assertThat(roundTrip(String[][].class, new String[][] {{"a"}})).isInstanceOf(String[][].class);
    assertThat(roundTrip(listArray, lists)).isInstanceOf(List[].class);
  }

  @Test
  void largeReferenceArraysDecodeBeyondTheFirstChunk() {
    Integer[] big = new Integer[5000];
    Arrays.setAll(big, i -> i % 7 == 0 ? null : i);
    assertRoundTrips(Integer[].class, big);
  }

  @Test
  void enumsRoundTripAsOrdinals() {
    assertAll(Color.class, Color.RED, Color.BLUE, null);
    assertThat(encode(Color.class, Color.BLUE)).containsExactly(1, 2);
  }

  @Test
  void listsAndCollectionsDecodeIntoArrayListsKeepingNulls() {
    Type list = new TypeRef<List<String>>() {}.type();
    assertAll(list, List.of(), Arrays.asList("a", null, "c"), null);
    assertAll(new TypeRef<Collection<Integer>>() {}.type(), new ArrayList<>(List.of(1, 2)));
    assertThat(roundTrip(list, List.of("a"))).isInstanceOf(ArrayList.class);
    assertThat(encode(list, Arrays.asList("a", null))).containsExactly(1, 2, 1, 1, 'a', 0);
  }

  @Test
  void largeListsDecodeBeyondThePreallocationCap() {
    List<Long> big = new ArrayList<>();
    for (long i = 0; i < 3000; i++) {
      big.add(i);
    }
    assertRoundTrips(new TypeRef<List<Long>>() {}.type(), big);
  }

  @Test
  void setsDecodeIntoLinkedHashSetsKeepingIterationOrderAndNull() {
    Type set = new TypeRef<Set<String>>() {}.type();
    LinkedHashSet<String> ordered = new LinkedHashSet<>(Arrays.asList("z", null, "a"));
    assertAll(set, ordered, Set.of(), null);
    assertThat(roundTrip(set, ordered)).isInstanceOf(LinkedHashSet.class);
  }

  @Test
  void sortedSetsDecodeIntoTreeSets() {
    Type sorted = new TypeRef<SortedSet<Color>>() {}.type();
    assertAll(sorted, new TreeSet<>(List.of(Color.BLUE, Color.RED)), new TreeSet<>());
    Type navigable = new TypeRef<NavigableSet<String>>() {}.type();
    Object decoded = roundTrip(navigable, new TreeSet<>(List.of("b", "a")));
    assertThat(decoded).isInstanceOf(TreeSet.class);
    assertThat(List.copyOf((TreeSet<?>) decoded)).isEqualTo(List.of("a", "b"));
  }

  @Test
  void mapsDecodeIntoLinkedHashMapsWithNullKeysAndValues() {
    Type map = new TypeRef<Map<String, List<Integer>>>() {}.type();
    LinkedHashMap<String, List<Integer>> m = new LinkedHashMap<>();
    m.put("b", List.of(1));
    m.put(null, null);
    m.put("a", Arrays.asList(null, 2));
    assertAll(map, m, Map.of(), null);
    assertThat(roundTrip(map, m)).isInstanceOf(LinkedHashMap.class);
  }

  @Test
  void sortedMapsDecodeIntoTreeMaps() {
    Type sorted = new TypeRef<SortedMap<Integer, String>>() {}.type();
    TreeMap<Integer, String> m = new TreeMap<>(Map.of(3, "c", 1, "a"));
    m.put(2, null);
    assertAll(sorted, m, new TreeMap<>());
    assertThat(roundTrip(new TypeRef<NavigableMap<String, Color>>() {}.type(),
        new TreeMap<>(Map.of("x", Color.RED)))).isInstanceOf(TreeMap.class);
  }

  @Test
  void optionalsRoundTripEmptyPresentAndNull() {
    Type opt = new TypeRef<Optional<List<String>>>() {}.type();
    assertAll(opt, Optional.empty(), Optional.of(List.of("a")), null);
    assertThat(encode(new TypeRef<Optional<String>>() {}.type(), Optional.empty()))
        .containsExactly(1, 0);
    assertAll(OptionalInt.class, OptionalInt.empty(), OptionalInt.of(Integer.MIN_VALUE), null);
    assertAll(OptionalLong.class, OptionalLong.empty(), OptionalLong.of(Long.MAX_VALUE));
    assertAll(OptionalDouble.class, OptionalDouble.empty(), OptionalDouble.of(Double.NaN));
  }

  @Test
  void timeAndIdentifierValuesRoundTripAtTheirExtremes() {
    assertAll(Instant.class, Instant.MIN, Instant.MAX, Instant.EPOCH,
        Instant.ofEpochSecond(-1, 999_999_999), null);
    assertAll(Duration.class, Duration.ZERO, Duration.ofSeconds(Long.MIN_VALUE),
        Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), Duration.ofNanos(-1), null);
    assertAll(UUID.class, new UUID(Long.MIN_VALUE, Long.MAX_VALUE), UUID.randomUUID(), null);
  }

  @Test
  void bigNumbersRoundTripKeepingScaleAndSign() {
    assertAll(BigInteger.class, BigInteger.ZERO, BigInteger.ONE.negate(),
        BigInteger.TWO.pow(1000).negate(), null);
    assertAll(BigDecimal.class, new BigDecimal("0.00"), new BigDecimal("-123.456e-300"),
        new BigDecimal("1e+999999"), BigDecimal.valueOf(Long.MIN_VALUE, Integer.MIN_VALUE), null);
    BigDecimal twoPlaces = (BigDecimal) roundTrip(BigDecimal.class, new BigDecimal("1.50"));
    assertThat(twoPlaces.scale()).isEqualTo(2);
  }

  @Test
  void extendsWildcardsAreTreatedAsTheirBound() {
    Type wild = new TypeRef<List<? extends Map<String, ? extends Color>>>() {}.type();
    assertAll(wild, List.of(Map.of("k", Color.GREEN)));
  }

  @Test
  void codecsAreCachedPerType() {
    Type t = new TypeRef<Map<String, List<Color>>>() {}.type();
    assertThat(Codecs.forType(t)).isSameAs(Codecs.forType(t));
    assertThat(Codecs.forType(int.class)).isSameAs(Codecs.forType(int.class));
  }
}
