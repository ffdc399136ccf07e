package dev.tether.internal.codec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.RandomAccess;
import java.util.TreeSet;

/**
 * Codec body of {@code List<E>}/{@code Collection<E>}, {@code Set<E>} and
 * {@code SortedSet<E>}/{@code NavigableSet<E>}.
 *
 * <p>Wire format (after the presence byte): a varint element count, then each element in
 * iteration order with its own presence byte. Decodes into an {@link ArrayList}, a
 * {@link LinkedHashSet} or a {@link TreeSet} with natural ordering; duplicate set elements
 * collapse. Preallocation is capped so a hostile count cannot reserve memory.
 */
final class CollectionCodec extends BaseCodec {

  /** The shape a collection is decoded into. */
  enum Kind {
    LIST("List"), SET("Set"), SORTED_SET("SortedSet");

    final String schemaName;

    Kind(String schemaName) {
      this.schemaName = schemaName;
    }
  }

  static final int MAX_PREALLOCATION = 1024;

  private final Kind kind;
  private final BaseCodec element;

  CollectionCodec(Kind kind, BaseCodec element) {
    this.kind = kind;
    this.element = element;
  }

  @Override
  public void encode(ByteWriter out, Object value) {
    Collection<?> c = (Collection<?>) value;
    int size = c.size();
    out.writeVarInt(size);
    out.enterNested();
    int written = 0;
    if (c instanceof List<?> list && c instanceof RandomAccess) {
      for (; written < size; written++) {
        element.encode(out, list.get(written));
      }
    } else {
      for (Object e : c) {
        if (written == size) {
          break;
        }
        element.encode(out, e);
        written++;
      }
    }
    if (written != size || c.size() != size) {
      throw new ConcurrentModificationException("collection changed size while being encoded");
    }
    out.exitNested();
  }

  @Override
  public Object decode(ByteReader in) {
    int n = in.readCount();
    in.enterNested();
    Collection<Object> c = switch (kind) {
      case LIST -> new ArrayList<>(Math.min(n, MAX_PREALLOCATION));
      case SET -> LinkedHashSet.newLinkedHashSet(Math.min(n, MAX_PREALLOCATION));
      case SORTED_SET -> new TreeSet<>();
    };
    for (int i = 0; i < n; i++) {
      Object e = element.decode(in);
      try {
        c.add(e);
      } catch (RuntimeException ex) {
        throw new DecodeException("decoded element rejected by " + c.getClass().getSimpleName()
            + ": " + ex, ex);
      }
    }
    in.exitNested();
    return c;
  }

  @Override
  void describe(SchemaWriter schema) {
    schema.append(kind.schemaName).append("<").append(element).append(">");
  }
}
