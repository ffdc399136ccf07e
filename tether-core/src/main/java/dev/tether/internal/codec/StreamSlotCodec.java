package dev.tether.internal.codec;

import java.io.InputStream;

/**
 * The place of an {@link InputStream} parameter or result in a call's bytes: one presence byte.
 * The stream's bytes travel after the call in their own frames (see {@code internal.stream}); a
 * side that decodes {@link #PRESENT} replaces it with the stream it receives. Stateless.
 */
final class StreamSlotCodec extends BaseCodec.Named {
  /** What decoding yields for a stream that is there (null: the caller passed null). */
  static final Object PRESENT = new Object() {
    @Override
    public String toString() {
      return "<stream>";
    }
  };

  static final StreamSlotCodec INSTANCE = new StreamSlotCodec();

  private StreamSlotCodec() {
    super("InputStream");
  }

  @Override
  public void encode(ByteWriter out, Object value) {
    out.writeBoolean(value != null);
  }

  @Override
  public Object decode(ByteReader in) {
    return in.readBoolean() ? PRESENT : null;
  }
}
