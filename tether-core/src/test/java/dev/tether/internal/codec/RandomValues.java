package dev.tether.internal.codec;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Seeded generator of random values of any codable type, driven by the type itself, with edge
 * cases (null, empty, extremes, NaN, surrogates) mixed in. Recursion stops at a fixed depth.
 */
final class RandomValues {

  private static final int MAX_DEPTH = 5;
  private static final String[] STRINGS = {
      "", "a", "hello world", "caf\u00e9 \u00fcber \u00ff", "\u65e5\u672c\u8a9e",
      "emoji \ud83d\ude00\ud83c\udf89", "lone \ud800 high", "lone \udc00 low", "\u0000nul",
      "\uffff\u0800\u07ff\u0080\u007f"};

  private final Random random;

  RandomValues(long seed) {
    random = new Random(seed);
  }

  /** Returns a random value of the resolved or declared type {@code type}; may be null. */
  Object next(Type type) {
    return value(Types.resolve(type, Map.of()), 0, true);
  }

  private Object value(Type t, int depth, boolean nullable) {
    Class<?> raw = Types.rawClass(t);
    if (!raw.isPrimitive() && nullable && (depth > MAX_DEPTH || random.nextInt(10) == 0)) {
      return null;
    }
    int size = depth > MAX_DEPTH ? 0 : random.nextInt(5);
    if (raw.isArray()) {
      Type component = raw.getComponentType().isPrimitive() ? raw.getComponentType()
          : t instanceof Class<?> c ? c.getComponentType()
          : ((java.lang.reflect.GenericArrayType) t).getGenericComponentType();
      Object array = Array.newInstance(raw.getComponentType(), size);
      for (int i = 0; i < size; i++) {
        Array.set(array, i, value(component, depth + 1, true));
      }
      return array;
    }
    if (raw.isRecord()) {
      return record(t, raw, depth);
    }
    if (raw.isEnum()) {
      Object[] constants = raw.getEnumConstants();
      return constants[random.nextInt(constants.length)];
    }
    Type[] args = Types.arguments(t);
    if (raw == List.class || raw == Collection.class) {
      List<Object> list = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        list.add(value(args[0], depth + 1, true));
      }
      return list;
    }
    if (raw == Set.class || raw == SortedSet.class || raw == NavigableSet.class) {
      boolean sorted = raw != Set.class;
      Set<Object> set = sorted ? new TreeSet<>() : new HashSet<>();
      for (int i = 0; i < size; i++) {
        set.add(value(args[0], depth + 1, !sorted));
      }
      return set;
    }
    if (raw == Map.class || raw == SortedMap.class || raw == NavigableMap.class) {
      boolean sorted = raw != Map.class;
      Map<Object, Object> map = sorted ? new TreeMap<>() : new HashMap<>();
      for (int i = 0; i < size; i++) {
        map.put(value(args[0], depth + 1, !sorted), value(args[1], depth + 1, true));
      }
      return map;
    }
    if (raw == Optional.class) {
      return Optional.ofNullable(value(args[0], depth + 1, true));
    }
    return scalar(raw);
  }

  private Object record(Type t, Class<?> raw, int depth) {
    Map<TypeVariable<?>, Type> bindings = Types.bindings(raw, t);
    RecordComponent[] components = raw.getRecordComponents();
    Object[] values = new Object[components.length];
    Class<?>[] erased = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      erased[i] = components[i].getType();
      values[i] = value(Types.resolve(components[i].getGenericType(), bindings), depth + 1, true);
    }
    try {
      Constructor<?> c = raw.getDeclaredConstructor(erased);
      c.setAccessible(true);
      return c.newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private Object scalar(Class<?> c) {
    if (c == boolean.class || c == Boolean.class) {
      return random.nextBoolean();
    }
    if (c == byte.class || c == Byte.class) {
      return (byte) anyLong();
    }
    if (c == short.class || c == Short.class) {
      return (short) anyLong();
    }
    if (c == char.class || c == Character.class) {
      return (char) anyLong();
    }
    if (c == int.class || c == Integer.class) {
      return (int) anyLong();
    }
    if (c == long.class || c == Long.class) {
      return anyLong();
    }
    if (c == float.class || c == Float.class) {
      return (float) anyDouble();
    }
    if (c == double.class || c == Double.class) {
      return anyDouble();
    }
    if (c == String.class) {
      return random.nextInt(3) == 0 ? randomString() : STRINGS[random.nextInt(STRINGS.length)];
    }
    if (c == Instant.class) {
      return Instant.ofEpochSecond(random.nextLong(Instant.MIN.getEpochSecond(),
          Instant.MAX.getEpochSecond()), random.nextInt(1_000_000_000));
    }
    if (c == Duration.class) {
      return Duration.ofSeconds(anyLong(), random.nextInt(1_000_000_000));
    }
    if (c == UUID.class) {
      return new UUID(random.nextLong(), random.nextLong());
    }
    if (c == BigInteger.class) {
      BigInteger v = new BigInteger(random.nextInt(200), random);
      return random.nextBoolean() ? v : v.negate();
    }
    if (c == BigDecimal.class) {
      return new BigDecimal(new BigInteger(random.nextInt(100), random).negate(),
          random.nextInt(-20, 40));
    }
    if (c == OptionalInt.class) {
      return random.nextBoolean() ? OptionalInt.empty() : OptionalInt.of((int) anyLong());
    }
    if (c == OptionalLong.class) {
      return random.nextBoolean() ? OptionalLong.empty() : OptionalLong.of(anyLong());
    }
    if (c == OptionalDouble.class) {
      return random.nextBoolean() ? OptionalDouble.empty() : OptionalDouble.of(anyDouble());
    }
    throw new AssertionError("no generator for " + c);
  }

  private long anyLong() {
    return switch (random.nextInt(6)) {
      case 0 -> 0;
      case 1 -> Long.MIN_VALUE;
      case 2 -> Long.MAX_VALUE;
      case 3 -> random.nextInt(256) - 128;
      default -> random.nextLong();
    };
  }

  private double anyDouble() {
    return switch (random.nextInt(8)) {
      case 0 -> Double.NaN;
      case 1 -> Double.NEGATIVE_INFINITY;
      case 2 -> -0.0;
      case 3 -> Double.MIN_VALUE;
      case 4 -> Double.MAX_VALUE;
      default -> random.nextGaussian() * 1e6;
    };
  }

  private String randomString() {
    StringBuilder sb = new StringBuilder();
    int n = random.nextInt(20);
    for (int i = 0; i < n; i++) {
      switch (random.nextInt(4)) {
        case 0 -> sb.append((char) random.nextInt(0x80));
        case 1 -> sb.append((char) random.nextInt(0x100));
        case 2 -> sb.append((char) random.nextInt(0x10000));
        default -> sb.appendCodePoint(random.nextInt(0x10000, Character.MAX_CODE_POINT + 1));
      }
    }
    return sb.toString();
  }
}
