package dev.tether.internal.codec;

import java.io.Serializable;
import java.lang.reflect.Array;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Builds the codec graph of one resolved type: decides what each type is, rejects what cannot be
 * encoded, and ties recursive records together.
 *
 * <p>One factory serves one top-level request and is then discarded. Codecs it builds are kept
 * locally and handed to the shared cache only once the whole graph has been built, so a failed
 * build never leaves a half-built codec behind.
 */
final class CodecFactory {

  /** Most records nested while building; stops generic records that expand forever. */
  private static final int MAX_RECORD_DEPTH = 100;

  private final Function<Type, BaseCodec> shared;
  private final Map<Type, BaseCodec> built = new HashMap<>();
  private int recordDepth;

  /**
   * Creates a factory.
   *
   * @param shared finished codecs by resolved type (null when not cached), consulted before
   *     building; not modified
   */
  CodecFactory(Function<Type, BaseCodec> shared) {
    this.shared = shared;
  }

  /** Returns the codecs built by this factory, by resolved type, to be published. */
  Map<Type, BaseCodec> built() {
    return built;
  }

  /**
   * Returns the codec of a resolved type: unwrapped for primitives, with a presence byte for
   * reference types.
   *
   * @throws UnsupportedTypeException if the type, or a type it contains, cannot be encoded
   */
  BaseCodec slot(Type t) {
    BaseCodec c = shared.apply(t);
    if (c == null) {
      c = built.get(t);
    }
    if (c != null) {
      return c;
    }
    c = create(t);
    built.put(t, c);
    return c;
  }

  private BaseCodec create(Type t) {
    Class<?> raw = Types.rawClass(t);
    if (raw.isPrimitive()) {
      if (raw == void.class) {
        throw unsupported(t, "void is only allowed as a method's return type");
      }
      return PrimitiveCodecs.forClass(raw);
    }
    if (raw.isRecord()) {
      if (raw.getTypeParameters().length > 0 && t instanceof Class<?>) {
        throw new UnsupportedTypeException("raw type " + raw.getTypeName()
            + ": declare its type arguments, e.g. " + raw.getSimpleName() + "<String, ...>");
      }
      if (++recordDepth > MAX_RECORD_DEPTH) {
        throw unsupported(raw, "more than " + MAX_RECORD_DEPTH + " records nested in one type"
            + " (a generic record whose components expand it without end?)");
      }
      ForwardCodec forward = new ForwardCodec();
      built.put(t, forward);
      try {
        BaseCodec c = new NullableCodec(RecordCodec.create(t, this::slot));
        forward.setTarget(c);
        return c;
      } finally {
        recordDepth--;
      }
    }
    return new NullableCodec(createReference(t, raw));
  }

  private BaseCodec createReference(Type t, Class<?> raw) {
    BaseCodec known = PrimitiveCodecs.forClass(raw);
    if (known == null) {
      known = ValueCodecs.forClass(raw);
    }
    if (known == null) {
      known = PrimitiveArrayCodecs.forClass(raw);
    }
    if (known != null) {
      return known;
    }
    if (raw.isArray()) {
      Type component = t instanceof Class<?> ? raw.getComponentType()
          : ((GenericArrayType) t).getGenericComponentType();
      BaseCodec element = slot(component);
      return new ObjectArrayCodec((Object[]) Array.newInstance(raw.getComponentType(), 0), element);
    }
    if (raw.isEnum()) {
      return new EnumCodec(raw);
    }
    if (raw == List.class || raw == Collection.class) {
      return new CollectionCodec(CollectionCodec.Kind.LIST, slot(argument(t, raw, 0)));
    }
    if (raw == Set.class) {
      return new CollectionCodec(CollectionCodec.Kind.SET, slot(argument(t, raw, 0)));
    }
    if (raw == SortedSet.class || raw == NavigableSet.class) {
      Type element = comparable(t, argument(t, raw, 0), "elements");
      return new CollectionCodec(CollectionCodec.Kind.SORTED_SET, slot(element));
    }
    if (raw == Map.class) {
      return new MapCodec(false, slot(argument(t, raw, 0)), slot(argument(t, raw, 1)));
    }
    if (raw == SortedMap.class || raw == NavigableMap.class) {
      Type key = comparable(t, argument(t, raw, 0), "keys");
      return new MapCodec(true, slot(key), slot(argument(t, raw, 1)));
    }
    if (raw == Optional.class) {
      return new OptionalCodec(slot(argument(t, raw, 0)));
    }
    throw unsupported(t, reason(raw));
  }

  private static String reason(Class<?> raw) {
    if (raw == Object.class) {
      return "declare a concrete type (record, enum, String, collection...)";
    }
    if (raw == Void.class) {
      return "Void is only allowed as a method's return type";
    }
    if (Future.class.isAssignableFrom(raw) || CompletionStage.class.isAssignableFrom(raw)) {
      return "futures are only allowed as a method's return type";
    }
    if (Collection.class.isAssignableFrom(raw) || Map.class.isAssignableFrom(raw)) {
      return "declare List, Collection, Set, SortedSet, Map or SortedMap instead"
          + " (decoded as ArrayList, LinkedHashSet, TreeSet, LinkedHashMap or TreeMap)";
    }
    if (raw.isInterface()) {
      return "interfaces cannot be decoded (only List, Collection, Set, SortedSet, NavigableSet,"
          + " Map, SortedMap and NavigableMap can); declare a record, enum or other concrete type";
    }
    if (Modifier.isAbstract(raw.getModifiers())) {
      return "abstract classes cannot be decoded; declare a record, enum or other concrete type";
    }
    String serializable = Serializable.class.isAssignableFrom(raw)
        ? " (it is Serializable, but Tether never uses Java serialization)" : "";
    return "only records, enums, primitives, String, arrays, collections, Optional and a few JDK"
        + " value types can be encoded; declare a record instead" + serializable;
  }

  private static Type argument(Type t, Class<?> raw, int index) {
    Type[] args = Types.arguments(t);
    if (args.length == 0) {
      String example = switch (raw.getSimpleName()) {
        case "Map", "SortedMap", "NavigableMap" -> "its key and value types, e.g. "
            + raw.getSimpleName() + "<String, Integer>";
        case "Optional" -> "its value type, e.g. Optional<String>";
        default -> "its element type, e.g. " + raw.getSimpleName() + "<String>";
      };
      throw new UnsupportedTypeException("raw type " + raw.getTypeName() + ": declare " + example);
    }
    return args[index];
  }

  private static Type comparable(Type container, Type element, String what) {
    if (!Comparable.class.isAssignableFrom(Types.rawClass(element))) {
      throw unsupported(container, "its " + what + " " + element.getTypeName()
          + " are not Comparable, so they cannot be kept sorted; declare a Comparable type"
          + " or use Set/Map");
    }
    return element;
  }

  private static UnsupportedTypeException unsupported(Type t, String why) {
    return new UnsupportedTypeException("unsupported type " + t.getTypeName() + ": " + why);
  }
}
