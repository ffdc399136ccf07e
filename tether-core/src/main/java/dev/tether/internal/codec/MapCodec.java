package dev.tether.internal.codec;

import java.util.ConcurrentModificationException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Codec body of {@code Map<K,V>} and {@code SortedMap<K,V>}/{@code NavigableMap<K,V>}.
 *
 * <p>Wire format (after the presence byte): a varint entry count, then for each entry in
 * iteration order its key and its value, each with its own presence byte. Decodes into a
 * {@link LinkedHashMap} or a {@link TreeMap} with natural ordering; a repeated key keeps the
 * last value.
 */
final class MapCodec extends BaseCodec {

  private final boolean sorted;
  private final BaseCodec key;
  private final BaseCodec value;

  MapCodec(boolean sorted, BaseCodec key, BaseCodec value) {
    this.sorted = sorted;
    this.key = key;
    this.value = value;
  }

  @Override
  public void encode(ByteWriter out, Object v) {
    Map<?, ?> map = (Map<?, ?>) v;
    int size = map.size();
    out.writeVarInt(size);
    out.enterNested();
    int written = 0;
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (written == size) {
        break;
      }
      key.encode(out, e.getKey());
      value.encode(out, e.getValue());
      written++;
    }
    if (written != size || map.size() != size) {
      throw new ConcurrentModificationException("map changed size while being encoded");
    }
    out.exitNested();
  }

  @Override
  public Object decode(ByteReader in) {
    int n = in.readCount();
    in.enterNested();
    Map<Object, Object> map = sorted ? new TreeMap<>()
        : LinkedHashMap.newLinkedHashMap(Math.min(n, CollectionCodec.MAX_PREALLOCATION));
    for (int i = 0; i < n; i++) {
      Object k = key.decode(in);
      Object v = value.decode(in);
      try {
        map.put(k, v);
      } catch (RuntimeException ex) {
        throw new DecodeException("decoded key rejected by " + map.getClass().getSimpleName()
            + ": " + ex, ex);
      }
    }
    in.exitNested();
    return map;
  }

  @Override
  void describe(SchemaWriter schema) {
    schema.append(sorted ? "SortedMap<" : "Map<").append(key).append(",").append(value)
        .append(">");
  }
}
