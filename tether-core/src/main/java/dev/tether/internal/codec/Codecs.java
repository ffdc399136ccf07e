package dev.tether.internal.codec;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
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
 *
 * <p>The cache never keeps an application's class loader alive (application servers and dev-mode
 * reloaders drop loaders to unload code): a type that mentions an application class is cached in
 * a {@link ClassValue} of that class, so the entry lives exactly as long as the class; types made
 * only of JDK classes are cached for good.
 */
public final class Codecs {

  /** Codecs and schema texts of the types anchored to one class. */
  private static final class Cache {
    final Map<Type, BaseCodec> codecs = new ConcurrentHashMap<>();
    final Map<Type, String> schemas = new ConcurrentHashMap<>();
  }

  private static final Cache JDK_TYPES = new Cache();
  private static final ClassValue<Cache> BY_APPLICATION_CLASS = new ClassValue<>() {
    @Override
    protected Cache computeValue(Class<?> type) {
      return new Cache();
    }
  };

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
    Map<Type, String> schemas = cacheOf(Objects.requireNonNull(type, "type")).schemas;
    String s = schemas.get(type);
    if (s == null) {
      SchemaWriter w = new SchemaWriter();
      codec(type).describe(w);
      s = w.toString();
      schemas.putIfAbsent(type, s);
    }
    return s;
  }

  /** Returns the internal codec of a type; see {@link #forType}. */
  static BaseCodec codec(Type type) {
    Map<Type, BaseCodec> codecs = cacheOf(Objects.requireNonNull(type, "type")).codecs;
    BaseCodec c = codecs.get(type);
    if (c != null) {
      return c;
    }
    Type resolved = Types.resolve(type, Map.of());
    CodecFactory factory = new CodecFactory(t -> cacheOf(t).codecs.get(t));
    c = factory.slot(resolved);
    for (Map.Entry<Type, BaseCodec> e : factory.built().entrySet()) {
      cacheOf(e.getKey()).codecs.putIfAbsent(e.getKey(), e.getValue());
    }
    codecs.putIfAbsent(type, c);
    return c;
  }

  private static Cache cacheOf(Type type) {
    Class<?> anchor = applicationClassIn(type);
    return anchor == null ? JDK_TYPES : BY_APPLICATION_CLASS.get(anchor);
  }

  /**
   * A class that {@code type} mentions and that an application class loader defined, or null when
   * every class in it is the JDK's (defined by the boot or platform loader).
   */
  private static Class<?> applicationClassIn(Type type) {
    if (type instanceof Class<?> c) {
      while (c.isArray()) {
        c = c.getComponentType();
      }
      ClassLoader l = c.getClassLoader();
      return l == null || l == ClassLoader.getPlatformClassLoader() ? null : c;
    }
    if (type instanceof ParameterizedType p) {
      Class<?> found = applicationClassIn(p.getRawType());
      for (Type a : p.getActualTypeArguments()) {
        found = found != null ? found : applicationClassIn(a);
      }
      return found != null || p.getOwnerType() == null ? found : applicationClassIn(p.getOwnerType());
    }
    if (type instanceof GenericArrayType g) {
      return applicationClassIn(g.getGenericComponentType());
    }
    if (type instanceof WildcardType w) {
      for (Type b : w.getUpperBounds()) {
        Class<?> found = applicationClassIn(b);
        if (found != null) {
          return found;
        }
      }
      for (Type b : w.getLowerBounds()) {
        Class<?> found = applicationClassIn(b);
        if (found != null) {
          return found;
        }
      }
    }
    return null; // a type variable: never cached under a class, and resolved away before building
  }
}
