package dev.tether.internal.wire;

import java.nio.ByteBuffer;

/**
 * Direct buffers that a connection's {@link FrameReader} reads large STREAM_DATA frames into,
 * handed back by whoever consumed the data (the stream's reader), so a chunk goes from the socket
 * into memory once (no heap copy by NIO, no array to allocate and zero) and from there once into
 * the user's array.
 *
 * <p>Every buffer has the same capacity, fixed at construction; a frame that does not fit is read
 * into a heap array as before. At most {@link #MAX_IDLE} buffers wait for reuse; one given back
 * beyond that, or never given back (a stream abandoned with chunks queued), is left to the
 * garbage collector, so the memory in use stays bounded by the streams' windows, as with arrays.
 * {@link #clear} drops the idle ones (an idle connection keeps none).
 *
 * <p>Thread-safe: one monitor guards the idle stack; the reader takes, any thread gives back. A
 * buffer given back must no longer be used by anyone.
 */
public final class ChunkBuffers {
  /** Most buffers kept for reuse: a 1 MiB window of 128 KiB chunks, and the one being read. */
  public static final int MAX_IDLE = 10;

  private final int capacity;
  private final ByteBuffer[] idle = new ByteBuffer[MAX_IDLE];
  private int count; // guarded by this

  /** Buffers of {@code capacity} bytes: the longest STREAM_DATA frame body read this way. */
  public ChunkBuffers(int capacity) {
    this.capacity = capacity;
  }

  /** The longest frame body these buffers take. */
  public int capacity() {
    return capacity;
  }

  /**
   * A buffer to read a frame body of {@code length} bytes into (position 0, limit
   * {@code length}), reused or new; null when {@code length} exceeds the capacity.
   */
  public ByteBuffer take(int length) {
    if (length > capacity) {
      return null;
    }
    ByteBuffer b = null;
    synchronized (this) {
      if (count > 0) {
        b = idle[--count];
        idle[count] = null;
      }
    }
    if (b == null) {
      b = ByteBuffer.allocateDirect(capacity);
    }
    return b.clear().limit(length);
  }

  /** Gives back a buffer from {@link #take} once nobody uses it; others are ignored. */
  public void give(ByteBuffer b) {
    if (!b.isDirect() || b.capacity() != capacity) {
      return;
    }
    synchronized (this) {
      if (count < MAX_IDLE) {
        idle[count++] = b;
      }
    }
  }

  /** Drops the idle buffers (the garbage collector frees them). */
  public synchronized void clear() {
    java.util.Arrays.fill(idle, 0, count, null);
    count = 0;
  }

  /** How many buffers wait for reuse (for tests and diagnostics). */
  public synchronized int idle() {
    return count;
  }
}
