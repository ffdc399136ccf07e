package dev.tether.internal.transport;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A connected, ordered, reliable byte stream to one peer. One thread reads while others write;
 * writes from several threads must be serialized by the caller. {@link #close()} from any thread
 * unblocks a blocked read or write, which then throws.
 */
public interface Link extends Closeable {
  /** Reads some bytes into {@code dst}, blocking until at least one arrives; -1 at end of stream. */
  int read(ByteBuffer dst) throws IOException;

  /** Writes all remaining bytes of {@code src}, blocking as needed. */
  void write(ByteBuffer src) throws IOException;

  /** Writes all remaining bytes of {@code srcs} in order (a gathering write where supported). */
  default void write(ByteBuffer[] srcs) throws IOException {
    for (ByteBuffer b : srcs) {
      write(b);
    }
  }

  /** Who is at the other end, for messages. */
  String peer();

  /** Closes the stream; idempotent; never throws. */
  @Override
  void close();
}
