package dev.tether;

import dev.tether.internal.cancel.CallContext;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * String keys and values that travel with each call, like headers: trace context (W3C
 * {@code traceparent}), a tenant, a request id. Immutable.
 *
 * <p>Every call carries the metadata current on the calling thread ({@link #current()}), which
 * is empty unless set with {@link #with(String, String)} or {@link #attach(CallMetadata)}. A
 * server method runs with its call's metadata current, so the calls it makes while serving carry
 * it on to the next hop, the way deadlines do. A call without metadata costs nothing extra on
 * the wire.
 *
 * <p>Limits (checked when metadata is built, so a call never fails for them later):
 * at most {@value #MAX_ENTRIES} entries; keys of 1 to {@value #MAX_KEY_CHARS} characters among
 * {@code a-z 0-9 - _ .} (lower case, like HTTP/2 header names); values of at most
 * {@value #MAX_VALUE_CHARS} characters; all keys and values together at most
 * {@value #MAX_TOTAL_CHARS} characters. Past a limit, {@link IllegalArgumentException}. A peer
 * that sends more breaks the protocol, and its connection is closed.
 */
public final class CallMetadata {
  /** Most entries per call. */
  public static final int MAX_ENTRIES = 16;
  /** Longest key, in characters. */
  public static final int MAX_KEY_CHARS = 64;
  /** Longest value, in characters. */
  public static final int MAX_VALUE_CHARS = 1024;
  /** Most characters of all keys and values together. */
  public static final int MAX_TOTAL_CHARS = 4096;

  private static final CallMetadata EMPTY = new CallMetadata(new String[0]);

  private final String[] entries; // key, value, key, value, ... in insertion order; keys unique

  private CallMetadata(String[] entries) {
    this.entries = entries;
  }

  /** No entries. */
  public static CallMetadata empty() {
    return EMPTY;
  }

  /**
   * The metadata current on this thread: what {@link #with}/{@link #attach} set, or, while a
   * server method runs, what its caller sent (plus what a server {@link CallListener} added).
   * Never null.
   */
  public static CallMetadata current() {
    CallMetadata m = CallContext.metadata();
    return m == null ? EMPTY : m;
  }

  /**
   * Adds (or replaces) {@code key} in this thread's current metadata until the returned
   * registration is closed, which restores what was current before. Close it on the same
   * thread, in reverse order (try-with-resources does both).
   *
   * @throws IllegalArgumentException when the key or value breaks a limit (see the class)
   */
  public static Registration with(String key, String value) {
    return attach(current().plus(key, value));
  }

  /**
   * Makes {@code metadata} current on this thread until the returned registration is closed,
   * which restores what was current before; for handing a call's metadata to another thread.
   */
  public static Registration attach(CallMetadata metadata) {
    Objects.requireNonNull(metadata, "metadata");
    CallMetadata previous = CallContext.setMetadata(metadata.isEmpty() ? null : metadata);
    return () -> CallContext.setMetadata(previous);
  }

  /**
   * Builds metadata from alternating keys and values.
   *
   * @throws IllegalArgumentException when a limit is broken, a key repeats or a value is missing
   */
  public static CallMetadata of(String... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values must alternate: "
          + keysAndValues.length + " strings");
    }
    CallMetadata m = EMPTY;
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (m.indexOf(keysAndValues[i]) >= 0) {
        throw new IllegalArgumentException("metadata key '" + keysAndValues[i] + "' repeats");
      }
      m = m.plus(keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  /**
   * A copy with {@code key} set to {@code value} (replacing an existing value).
   *
   * @throws IllegalArgumentException when the key or value breaks a limit (see the class)
   */
  public CallMetadata plus(String key, String value) {
    checkKey(key);
    Objects.requireNonNull(value, "value");
    if (value.length() > MAX_VALUE_CHARS) {
      throw new IllegalArgumentException("metadata value of '" + key + "' has " + value.length()
          + " characters, more than " + MAX_VALUE_CHARS);
    }
    int i = indexOf(key);
    String[] e;
    if (i >= 0) {
      if (entries[i + 1].equals(value)) {
        return this;
      }
      e = entries.clone();
      e[i + 1] = value;
    } else {
      if (size() == MAX_ENTRIES) {
        throw new IllegalArgumentException("metadata has " + MAX_ENTRIES
            + " entries already, its maximum; cannot add '" + key + "'");
      }
      e = Arrays.copyOf(entries, entries.length + 2);
      e[entries.length] = key;
      e[entries.length + 1] = value;
    }
    int total = 0;
    for (String s : e) {
      total += s.length();
    }
    if (total > MAX_TOTAL_CHARS) {
      throw new IllegalArgumentException("metadata would have " + total
          + " characters of keys and values, more than " + MAX_TOTAL_CHARS);
    }
    return new CallMetadata(e);
  }

  /** A copy without {@code key} (this one if it has no such key). */
  public CallMetadata minus(String key) {
    int i = indexOf(key);
    if (i < 0) {
      return this;
    }
    String[] e = new String[entries.length - 2];
    System.arraycopy(entries, 0, e, 0, i);
    System.arraycopy(entries, i + 2, e, i, entries.length - i - 2);
    return e.length == 0 ? EMPTY : new CallMetadata(e);
  }

  /** The value of {@code key}, if present. */
  public Optional<String> get(String key) {
    int i = indexOf(key);
    return i < 0 ? Optional.empty() : Optional.of(entries[i + 1]);
  }

  /** Number of entries. */
  public int size() {
    return entries.length / 2;
  }

  /** True without entries. */
  public boolean isEmpty() {
    return entries.length == 0;
  }

  /** The {@code i}-th key, in insertion order ({@code 0 <= i < size()}). */
  public String key(int i) {
    return entries[2 * Objects.checkIndex(i, size())];
  }

  /** The {@code i}-th value, in insertion order ({@code 0 <= i < size()}). */
  public String value(int i) {
    return entries[2 * Objects.checkIndex(i, size()) + 1];
  }

  /** The entries as an unmodifiable map, in insertion order. */
  public Map<String, String> asMap() {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < entries.length; i += 2) {
      m.put(entries[i], entries[i + 1]);
    }
    return Collections.unmodifiableMap(m);
  }

  private int indexOf(String key) {
    for (int i = 0; i < entries.length; i += 2) {
      if (entries[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  private static void checkKey(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty() || key.length() > MAX_KEY_CHARS) {
      throw new IllegalArgumentException("metadata key must have 1 to " + MAX_KEY_CHARS
          + " characters: '" + key + "'");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.')) {
        throw new IllegalArgumentException("metadata key '" + key
            + "' may only use a-z 0-9 - _ . (lower case)");
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CallMetadata m && Arrays.equals(entries, m.entries);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(entries);
  }

  @Override
  public String toString() {
    return asMap().toString();
  }
}
