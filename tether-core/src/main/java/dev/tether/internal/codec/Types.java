package dev.tether.internal.codec;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Resolves generic types into concrete ones and names types for messages.
 *
 * <p>A resolved type contains no type variables and no wildcards: only classes, parameterized
 * types and generic array types, rebuilt by this class so that equal types are equal keys.
 */
final class Types {

  private Types() {}

  /**
   * Replaces type variables by their bindings and {@code ? extends X} by X.
   *
   * @throws UnsupportedTypeException for unbound type variables, {@code ?} and {@code ? super X}
   */
  static Type resolve(Type t, Map<TypeVariable<?>, Type> bindings) {
    return resolve(t, bindings, null);
  }

  private static Type resolve(Type t, Map<TypeVariable<?>, Type> bindings, Type parent) {
    if (t instanceof Class<?> c) {
      return c;
    }
    if (t instanceof ParameterizedType p) {
      Type[] args = p.getActualTypeArguments().clone();
      for (int i = 0; i < args.length; i++) {
        args[i] = resolve(args[i], bindings, p);
      }
      Type owner = p.getOwnerType() == null ? null : resolve(p.getOwnerType(), bindings, p);
      return new Parameterized((Class<?>) p.getRawType(), owner, args);
    }
    if (t instanceof GenericArrayType g) {
      Type component = resolve(g.getGenericComponentType(), bindings, parent);
      return component instanceof Class<?> c ? c.arrayType() : new GenericArray(component);
    }
    if (t instanceof WildcardType w) {
      String where = parent == null ? w.getTypeName() : parent.getTypeName();
      if (w.getLowerBounds().length > 0) {
        throw new UnsupportedTypeException("unsupported type " + where + ": wildcard "
            + w.getTypeName() + " does not say what to decode; declare a concrete type argument");
      }
      Type upper = w.getUpperBounds()[0];
      if (upper == Object.class) {
        throw new UnsupportedTypeException("unsupported type " + where
            + ": unbounded wildcard ? does not say what to decode; declare a concrete type"
            + " argument, e.g. List<String>");
      }
      return resolve(upper, bindings, parent);
    }
    if (t instanceof TypeVariable<?> v) {
      Type bound = bindings.get(v);
      if (bound == null) {
        throw new UnsupportedTypeException("unsupported type " + v.getName()
            + ": type variable of " + declarer(v) + " cannot be resolved; declare a concrete type");
      }
      return bound;
    }
    throw new UnsupportedTypeException("unsupported type " + t.getTypeName() + ": unknown kind of type");
  }

  /** Maps the type parameters of {@code raw} to the arguments of the resolved type {@code t}. */
  static Map<TypeVariable<?>, Type> bindings(Class<?> raw, Type t) {
    TypeVariable<?>[] params = raw.getTypeParameters();
    if (params.length == 0 || !(t instanceof ParameterizedType p)) {
      return Map.of();
    }
    Type[] args = p.getActualTypeArguments();
    Map<TypeVariable<?>, Type> map = new HashMap<>();
    for (int i = 0; i < params.length; i++) {
      map.put(params[i], args[i]);
    }
    return map;
  }

  /** Returns the class a resolved type erases to. */
  static Class<?> rawClass(Type t) {
    if (t instanceof Class<?> c) {
      return c;
    }
    if (t instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    if (t instanceof GenericArrayType g) {
      return rawClass(g.getGenericComponentType()).arrayType();
    }
    throw new IllegalArgumentException("not a resolved type: " + t.getTypeName());
  }

  /** Returns the type arguments of a resolved type, or an empty array for a class. */
  static Type[] arguments(Type t) {
    return t instanceof ParameterizedType p ? p.getActualTypeArguments() : new Type[0];
  }

  /** Names a type with simple class names, e.g. {@code List<String>}, for method descriptions. */
  static String simpleName(Type t) {
    if (t instanceof Class<?> c) {
      return c.getSimpleName();
    }
    if (t instanceof ParameterizedType p) {
      return simpleName(p.getRawType()) + Arrays.stream(p.getActualTypeArguments())
          .map(Types::simpleName).collect(Collectors.joining(", ", "<", ">"));
    }
    if (t instanceof GenericArrayType g) {
      return simpleName(g.getGenericComponentType()) + "[]";
    }
    if (t instanceof WildcardType w) {
      if (w.getLowerBounds().length > 0) {
        return "? super " + simpleName(w.getLowerBounds()[0]);
      }
      Type upper = w.getUpperBounds()[0];
      return upper == Object.class ? "?" : "? extends " + simpleName(upper);
    }
    return t.getTypeName();
  }

  /** Describes a method as {@code Interface.name(ParamType, ...)} with simple names. */
  static String describe(Method m) {
    return m.getDeclaringClass().getSimpleName() + "." + m.getName()
        + Arrays.stream(m.getGenericParameterTypes()).map(Types::simpleName)
            .collect(Collectors.joining(", ", "(", ")"));
  }

  private static String declarer(TypeVariable<?> v) {
    Object d = v.getGenericDeclaration();
    if (d instanceof Class<?> c) {
      return c.getTypeName();
    }
    if (d instanceof Method m) {
      return "method " + m.getDeclaringClass().getSimpleName() + "." + m.getName();
    }
    return String.valueOf(d);
  }

  /** A parameterized type whose equality and hash code match the JDK's own implementation. */
  private record Parameterized(Class<?> raw, Type owner, Type[] args) implements ParameterizedType {

    @Override
    public Type[] getActualTypeArguments() {
      return args.clone();
    }

    @Override
    public Type getRawType() {
      return raw;
    }

    @Override
    public Type getOwnerType() {
      return owner;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ParameterizedType p && raw.equals(p.getRawType())
          && Objects.equals(owner, p.getOwnerType())
          && Arrays.equals(args, p.getActualTypeArguments());
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(args) ^ Objects.hashCode(owner) ^ raw.hashCode();
    }

    @Override
    public String toString() {
      return raw.getTypeName() + Arrays.stream(args).map(Type::getTypeName)
          .collect(Collectors.joining(", ", "<", ">"));
    }
  }

  /** A generic array type whose equality and hash code match the JDK's own implementation. */
  private record GenericArray(Type component) implements GenericArrayType {

    @Override
    public Type getGenericComponentType() {
      return component;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof GenericArrayType g && component.equals(g.getGenericComponentType());
    }

    @Override
    public int hashCode() {
      return component.hashCode();
    }

    @Override
    public String toString() {
      return component.getTypeName() + "[]";
    }
  }

  /** The box class of a primitive class. */
  static Class<?> box(Class<?> primitive) {
    return java.lang.invoke.MethodType.methodType(primitive).wrap().returnType();
  }
}
