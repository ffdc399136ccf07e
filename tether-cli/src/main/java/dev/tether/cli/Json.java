package dev.tether.cli;

import java.lang.reflect.RecordComponent;

/** Just enough JSON for the CLI's output: escaped strings and flat records. Not thread-safe. */
final class Json {
  private final StringBuilder out = new StringBuilder();
  private boolean first = true;

  /** Starts an object. */
  Json begin() {
    comma();
    out.append('{');
    first = true;
    return this;
  }

  /** Ends an object. */
  Json end() {
    out.append('}');
    first = false;
    return this;
  }

  /** A field name; its value follows. */
  Json name(String name) {
    comma();
    quote(out, name);
    out.append(':');
    first = true;
    return this;
  }

  /** A string value (null: JSON null). */
  Json value(String s) {
    comma();
    if (s == null) {
      out.append("null");
    } else {
      quote(out, s);
    }
    first = false;
    return this;
  }

  /** A number value. */
  Json value(long n) {
    comma();
    out.append(n);
    first = false;
    return this;
  }

  /** Starts an array. */
  Json beginArray() {
    comma();
    out.append('[');
    first = true;
    return this;
  }

  /** Ends an array. */
  Json endArray() {
    out.append(']');
    first = false;
    return this;
  }

  /** Every component of {@code record} as a field: numbers as numbers, the rest as strings. */
  Json fields(Record record) {
    for (RecordComponent c : record.getClass().getRecordComponents()) {
      Object v;
      try {
        v = c.getAccessor().invoke(record);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      name(c.getName());
      if (v instanceof Number n && !(v instanceof Double || v instanceof Float)) {
        value(n.longValue());
      } else {
        value(v == null ? null : v.toString());
      }
    }
    return this;
  }

  private void comma() {
    if (!first) {
      out.append(',');
    }
    first = false;
  }

  @Override
  public String toString() {
    return out.toString();
  }

  /** Appends {@code s} as a JSON string literal (RFC 8259 escapes). */
  static void quote(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
