package dev.tether.internal.stream;

import dev.tether.ErrorCode;
import dev.tether.TetherException;
import dev.tether.internal.codec.ByteReader;
import dev.tether.internal.codec.Codec;
import dev.tether.internal.codec.DecodeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A typed stream received: decodes {@code varint length, element} records from a byte stream as
 * the user's {@link Stream} pulls them, so reading is the demand. Closing the {@link Stream}
 * closes the byte stream (before its end, that cancels the transfer). Not thread-safe, like any
 * sequential stream.
 */
public final class ElementDecoder implements Iterator<Object> {
  /** Largest element accepted, in encoded bytes. */
  static final int MAX_ELEMENT_BYTES = 16 << 20;

  private final InputStream in;
  private final Codec<Object> codec;
  private final String what;
  private Object next;
  private boolean ready;
  private boolean done;

  private ElementDecoder(InputStream in, Codec<Object> codec, String what) {
    this.in = in;
    this.codec = codec;
    this.what = what;
  }

  /** The elements of {@code in}, decoded with {@code codec}, as a sequential ordered stream. */
  public static Stream<Object> stream(InputStream in, Codec<Object> codec, String what) {
    ElementDecoder d = new ElementDecoder(in, codec, what);
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(d,
        Spliterator.ORDERED), false).onClose(() -> {
          try {
            in.close();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  @Override
  public boolean hasNext() {
    if (!ready && !done) {
      int length = readLength();
      if (length < 0) {
        done = true;
      } else {
        next = decode(length);
        ready = true;
      }
    }
    return ready;
  }

  @Override
  public Object next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    ready = false;
    Object v = next;
    next = null;
    return v;
  }

  /** The next element's length, or -1 at a clean end between elements. */
  private int readLength() {
    int value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = readByte();
      if (b < 0) {
        if (shift == 0) {
          return -1;
        }
        throw broken("the stream ended inside an element's length");
      }
      value |= (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        if (value < 0 || value > MAX_ELEMENT_BYTES) {
          throw new TetherException(ErrorCode.RESOURCE_EXHAUSTED, "an element of " + what
              + " of " + value + " bytes, more than " + MAX_ELEMENT_BYTES + " are accepted");
        }
        return value;
      }
    }
    throw broken("a malformed element length");
  }

  private int readByte() {
    try {
      return in.read();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Object decode(int length) {
    byte[] b;
    try {
      b = in.readNBytes(length);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (b.length < length) {
      throw broken("the stream ended inside an element");
    }
    ByteReader r = new ByteReader(b, 0, length);
    r.limitDecodedBytes(ByteReader.decodedLimit(length, 16, 64 << 20));
    try {
      Object v = codec.decode(r);
      if (r.remaining() != 0) {
        throw broken(r.remaining() + " unexpected byte(s) after an element");
      }
      return v;
    } catch (DecodeException e) {
      throw broken("an undecodable element: " + e.getMessage());
    }
  }

  private TetherException broken(String why) {
    try {
      in.close(); // the sender is told to stop
    } catch (IOException | RuntimeException ignored) {
      // failing anyway
    }
    return new TetherException(ErrorCode.PROTOCOL_ERROR, what + ": " + why);
  }
}
