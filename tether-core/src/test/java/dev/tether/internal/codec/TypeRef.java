package dev.tether.internal.codec;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/** Captures a generic type: {@code new TypeRef<List<String>>() {}.type()}. */
abstract class TypeRef<T> {

  Type type() {
    return ((ParameterizedType) getClass().getGenericSuperclass()).getActualTypeArguments()[0];
  }
}
