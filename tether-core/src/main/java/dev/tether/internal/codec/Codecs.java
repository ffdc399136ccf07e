package dev.tether.internal.codec;

import java.lang.reflect.Type;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Entry point to the codec: builds (once) and caches the codec and schema text of a type.
 *
 * <p>The type is the schema: only types reachable from an interface's method signatures are
 * encoded, and Java serialization is never used. Supported: primitives and their boxes, String,
 * primitive and reference arrays, enums, records (generic, recursive, non-public), List,
 * Collection, Set, SortedSet, NavigableSet, Map, SortedMap, NavigableMap, Optional,
 * OptionalInt/Long/Double, Instant, Duration, UUID, BigInteger and BigDecimal, nested
 * arbitrarily; {@code ? extends X} counts as X. All methods are thread-safe.
 */
public final class Codecs {

  private static final Map<Type, BaseCodec> CODECS = new ConcurrentHashMap<>();
  private static final Map<Type, String> SCHEMAS = new ConcurrentHashMap<>();

  private Codecs() {}

  /**
   * Returns the codec of a (possibly generic) type, building and caching it on first use.
   *
   * <p>For a reference type the codec writes a presence byte and accepts null; for a primitive
   * type it does not, and values must not be null.
   *
   * @throws UnsupportedTypeException naming the type and why, if it or a type it contains cannot
   *     be encoded
   */
  public static Codec<Object> forType(Type type) {
    return codec(type);
  }

  /**
   * Returns the canonical schema text of a type, which client and server compare.
   *
   * <p>Records appear as {@code Name(component:type,...)}, enums as {@code Name{A,B}} (simple
   * names), collections as {@code List<E>}, {@code Set<E>}, {@code SortedSet<E>},
   * {@code Map<K,V>}, {@code SortedMap<K,V>}, other types by their simple names. A record or
   * enum seen before in the same text is written {@code #n}, n counting definitions from 0, which
   * also ends recursion. The text depends only on the class definitions: it is the same in every
   * JVM and changes when a record component or an enum constant changes.
   *
   * @throws UnsupportedTypeException if the type cannot be encoded
   */
  public static String schemaOf(Type type) {
    String s = SCHEMAS.get(Objects.requireNonNull(type, "type"));
    if (s == null) {
      SchemaWriter w = new SchemaWriter();
      codec(type).describe(w);
      s = w.toString();
      SCHEMAS.putIfAbsent(type, s);
    }
    return s;
  }

  /** Returns the internal codec of a type; see {@link #forType}. */
  static BaseCodec codec(Type type) {
    BaseCodec c = CODECS.get(Objects.requireNonNull(type, "type"));
    if (c != null) {
      return c;
    }
    Type resolved = Types.resolve(type, Map.of());
    CodecFactory factory = new CodecFactory(CODECS);
    c = factory.slot(resolved);
    for (Map.Entry<Type, BaseCodec> e : factory.built().entrySet()) {
      CODECS.putIfAbsent(e.getKey(), e.getValue());
    }
    CODECS.putIfAbsent(type, c);
    return c;
  }
}
