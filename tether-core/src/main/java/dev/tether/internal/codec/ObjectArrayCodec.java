package dev.tether.internal.codec;

import java.util.Arrays;

/**
 * Codec body of a reference array type {@code T[]}, including generic ones like
 * {@code List<String>[]}.
 *
 * <p>Wire format (after the presence byte): a varint element count, then each element with its
 * own presence byte. Decoding allocates in growing chunks, so a hostile count cannot reserve
 * memory that the input does not back.
 */
final class ObjectArrayCodec extends BaseCodec {

  private static final int FIRST_CHUNK = 1024;

  private final Object[] empty;
  private final BaseCodec element;

  /**
   * Creates the codec.
   *
   * @param empty a zero-length array of the exact runtime class to produce
   * @param element the codec of one element, with its presence byte
   */
  ObjectArrayCodec(Object[] empty, BaseCodec element) {
    this.empty = empty;
    this.element = element;
  }

  @Override
  public void encode(ByteWriter out, Object value) {
    Object[] a = (Object[]) value;
    out.writeVarInt(a.length);
    out.enterNested();
    for (Object e : a) {
      element.encode(out, e);
    }
    out.exitNested();
  }

  @Override
  public Object decode(ByteReader in) {
    int n = in.readCount();
    in.enterNested();
    Object[] a = Arrays.copyOf(empty, Math.min(n, FIRST_CHUNK));
    for (int i = 0; i < n; i++) {
      if (i == a.length) {
        a = Arrays.copyOf(a, (int) Math.min(n, 2L * a.length));
      }
      a[i] = element.decode(in);
    }
    in.exitNested();
    return a;
  }

  @Override
  void describe(SchemaWriter schema) {
    schema.append(element).append("[]");
  }
}
