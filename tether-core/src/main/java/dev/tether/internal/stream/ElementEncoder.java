package dev.tether.internal.stream;

import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.codec.Codec;
import java.io.InputStream;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * A typed stream as bytes: pulls the next element of a {@link Stream} only when the bytes before
 * it have been read (so the receiver's credit is the demand), and encodes each as
 * {@code varint length, element}. The end of the elements is the end of the bytes. Closing it
 * closes the stream. Not thread-safe: one pump reads it.
 */
public final class ElementEncoder extends InputStream {
  private final Stream<?> elements;
  private final Iterator<?> it;
  private final Codec<Object> codec;
  private final ByteWriter element = new ByteWriter(256);
  private final ByteWriter framed = new ByteWriter(256);
  private int pos;

  /** Encodes {@code elements} with {@code codec}. */
  public ElementEncoder(Stream<?> elements, Codec<Object> codec) {
    this.elements = elements;
    this.it = elements.iterator();
    this.codec = codec;
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (pos == framed.size()) {
      if (!it.hasNext()) { // user code: may throw, which resets the stream with its exception
        return -1;
      }
      element.reset();
      codec.encode(element, it.next());
      framed.reset();
      framed.writeVarInt(element.size());
      framed.writeBytes(element.array(), 0, element.size());
      pos = 0;
    }
    int n = Math.min(len, framed.size() - pos);
    System.arraycopy(framed.array(), pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public void close() {
    elements.close();
  }
}
