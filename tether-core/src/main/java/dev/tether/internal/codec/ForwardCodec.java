package dev.tether.internal.codec;

/**
 * Stands for a record codec that is still being built, so that recursive records such as
 * {@code record Node(String v, List<Node> kids)} can refer to themselves.
 *
 * <p>The target is set once, before the codec graph is published through the cache, so readers
 * on other threads see it.
 */
final class ForwardCodec extends BaseCodec {

  private BaseCodec target;

  void setTarget(BaseCodec target) {
    this.target = target;
  }

  @Override
  public void encode(ByteWriter out, Object value) {
    target.encode(out, value);
  }

  @Override
  public Object decode(ByteReader in) {
    return target.decode(in);
  }

  @Override
  void describe(SchemaWriter schema) {
    target.describe(schema);
  }
}
