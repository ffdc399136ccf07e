package dev.tether.internal.codec;

import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
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
import java.util.UUID;

/** Rich nested types shared by the property and hostile-input tests. */
final class Samples {

  private Samples() {}

  enum Mood { HAPPY, SAD, ANGRY, CALM }

  record Leaf(String name, int[] data, Mood mood, char tag) {}

  record Rich(List<Map<String, Optional<Mood>>> maps, double[] weights, Leaf[] leaves,
      Set<Integer> ids, SortedMap<String, Long> ranks, OptionalInt count, Instant at,
      BigDecimal amount) {}

  record Node(String label, List<Node> kids, Optional<Node> link, byte[] blob) {}

  record Pair<A, B>(A first, B second) {}

  record Account(UUID id, Pair<String, List<BigInteger>> balances,
      Map<Mood, Duration> timeouts, NavigableSet<String> tags, boolean active, short level,
      float score, long created, Character initial, List<? extends Leaf>[] history) {}

  record Everything(boolean z, byte b, short s, char c, int i, long l, float f, double d,
      Boolean bz, Byte bb, Short bs, Character bc, Integer bi, Long bl, Float bf, Double bd,
      String str, boolean[] za, byte[] ba, short[] sa, char[] ca, int[] ia, long[] la,
      float[] fa, double[] da, OptionalLong ol, OptionalDouble od, Collection<Mood> moods,
      SortedSet<Mood> sortedMoods, NavigableMap<Integer, String> nav) {}

  /** The types that property and hostile-input tests exercise. */
  static List<Type> richTypes() {
    return List.of(Rich.class, Node.class, Account.class, Everything.class,
        new TypeRef<Map<String, List<Pair<Mood, Node>>>>() {}.type(),
        new TypeRef<Optional<Pair<Leaf[], Set<List<String>>>>>() {}.type());
  }
}
