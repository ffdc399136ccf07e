package dev.tether.fuzz;

import dev.tether.internal.transport.Link;
import java.nio.ByteBuffer;

/**
 * A {@link Link} that delivers a fixed byte sequence in chunks of cycling sizes (1, 7, 64, 4096
 * bytes...), so a reader sees frames split at every kind of boundary, then the end of the stream.
 * Writes are discarded. Single-threaded, like the reader it feeds.
 */
final class ChunkedLink implements Link {
  private static final int[] CHUNKS = {1, 7, 64, 4096, 3, 65_536};

  private final byte[] bytes;
  private int position;
  private int reads;

  ChunkedLink(byte[] bytes) {
    this.bytes = bytes;
  }

  /** True once every byte was delivered. */
  boolean exhausted() {
    return position == bytes.length;
  }

  @Override
  public int tryRead(ByteBuffer dst) {
    if (position == bytes.length) {
      return -1;
    }
    int n = Math.min(Math.min(dst.remaining(), CHUNKS[reads++ % CHUNKS.length]),
        bytes.length - position);
    dst.put(bytes, position, n);
    position += n;
    return n;
  }

  @Override
  public boolean awaitReadable(long timeoutNanos) {
    return true;
  }

  @Override
  public void wakeupReader() {
    // reads never block
  }

  @Override
  public void write(ByteBuffer src) {
    src.position(src.limit());
  }

  @Override
  public String peer() {
    return "fuzz input";
  }

  @Override
  public void close() {
    // nothing to release
  }
}
