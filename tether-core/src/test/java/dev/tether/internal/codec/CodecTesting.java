package dev.tether.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Helpers shared by the codec tests: encoding, decoding and a deep equality for values. */
final class CodecTesting {

  private CodecTesting() {}

  static byte[] encode(Type type, Object value) {
    ByteWriter out = new ByteWriter(2);
    Codecs.forType(type).encode(out, value);
    return Arrays.copyOf(out.array(), out.size());
  }

  /** Decodes {@code bytes} as {@code type}, asserting that every byte is consumed. */
  static Object decode(Type type, byte[] bytes) {
    ByteReader in = new ByteReader(bytes, 0, bytes.length);
    Object value = Codecs.forType(type).decode(in);
    assertThat(in.remaining()).as("bytes left after decoding %s", type.getTypeName()).isZero();
    return value;
  }

  static Object roundTrip(Type type, Object value) {
    return decode(type, encode(type, value));
  }

  /** Asserts that {@code value} survives encoding and decoding as {@code type}, deeply. */
  static void assertRoundTrips(Type type, Object value) {
    Object back = roundTrip(type, value);
    assertThat(deepEquals(value, back))
        .as("round trip of %s as %s gave %s", value, type.getTypeName(), back).isTrue();
  }

  /**
   * Compares values structurally: arrays by content, records by component, collections and
   * maps in iteration order, Optionals by content; everything else with equals.
   */
  static boolean deepEquals(Object a, Object b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    if (a.getClass().isArray()) {
      return b.getClass() == a.getClass() && arraysEqual(a, b);
    }
    if (a instanceof Record) {
      return b.getClass() == a.getClass() && recordsEqual(a, b);
    }
    if (a instanceof List<?> || a instanceof Set<?>) {
      return (a instanceof List<?> ? b instanceof List<?> : b instanceof Set<?>)
          && iterablesEqual((Iterable<?>) a, (Iterable<?>) b);
    }
    if (a instanceof Map<?, ?> ma) {
      return b instanceof Map<?, ?> mb && ma.size() == mb.size()
          && iterablesEqual(ma.entrySet(), mb.entrySet());
    }
    if (a instanceof Map.Entry<?, ?> ea) {
      return b instanceof Map.Entry<?, ?> eb && deepEquals(ea.getKey(), eb.getKey())
          && deepEquals(ea.getValue(), eb.getValue());
    }
    if (a instanceof Optional<?> oa) {
      return b instanceof Optional<?> ob && deepEquals(oa.orElse(null), ob.orElse(null));
    }
    return a.equals(b);
  }

  private static boolean arraysEqual(Object a, Object b) {
    if (!a.getClass().getComponentType().isPrimitive()) {
      Object[] x = (Object[]) a;
      Object[] y = (Object[]) b;
      if (x.length != y.length) {
        return false;
      }
      for (int i = 0; i < x.length; i++) {
        if (!deepEquals(x[i], y[i])) {
          return false;
        }
      }
      return true;
    }
    int n = Array.getLength(a);
    if (n != Array.getLength(b)) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (!Array.get(a, i).equals(Array.get(b, i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean recordsEqual(Object a, Object b) {
    try {
      for (RecordComponent c : a.getClass().getRecordComponents()) {
        c.getAccessor().setAccessible(true);
        if (!deepEquals(c.getAccessor().invoke(a), c.getAccessor().invoke(b))) {
          return false;
        }
      }
      return true;
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private static boolean iterablesEqual(Iterable<?> a, Iterable<?> b) {
    Iterator<?> x = a.iterator();
    Iterator<?> y = b.iterator();
    while (x.hasNext() && y.hasNext()) {
      if (!deepEquals(x.next(), y.next())) {
        return false;
      }
    }
    return !x.hasNext() && !y.hasNext();
  }
}
