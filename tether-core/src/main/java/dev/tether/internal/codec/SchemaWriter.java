package dev.tether.internal.codec;

import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds the canonical schema text of a codec graph.
 *
 * <p>Records are written as {@code Name(component:schema,...)} and enums as
 * {@code Name{CONSTANT,...}}, using simple class names. The first occurrence of each record or
 * enum type gets the next definition number (from 0, in order of appearance); every later
 * occurrence, including a recursive one, is written as the back-reference {@code #n}.
 */
final class SchemaWriter {

  private final StringBuilder text = new StringBuilder();
  private final Map<Type, Integer> defined = new HashMap<>();

  /** Appends literal schema text. */
  SchemaWriter append(String s) {
    text.append(s);
    return this;
  }

  /** Appends the schema of a nested codec. */
  SchemaWriter append(BaseCodec codec) {
    codec.describe(this);
    return this;
  }

  /**
   * Writes a back-reference and returns false if {@code type} was already defined; otherwise
   * numbers it and returns true, and the caller writes its definition.
   */
  boolean define(Type type) {
    Integer number = defined.get(type);
    if (number != null) {
      text.append('#').append(number);
      return false;
    }
    defined.put(type, defined.size());
    return true;
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
