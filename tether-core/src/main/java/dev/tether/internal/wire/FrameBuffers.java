package dev.tether.internal.wire;

import dev.tether.internal.codec.ByteWriter;

/**
 * Per-thread scratch buffers for building frames, so a call allocates no buffer. A buffer that
 * grew beyond {@link #KEEP_BYTES} is dropped after use instead of being kept by the thread.
 */
public final class FrameBuffers {
  private static final int INITIAL_BYTES = 512;
  private static final int KEEP_BYTES = 64 * 1024; // idle call threads (up to maxCallThreads) keep at most this each
  private static final ThreadLocal<Slot> SLOT = ThreadLocal.withInitial(Slot::new);

  private static final class Slot {
    ByteWriter writer = new ByteWriter(INITIAL_BYTES);
    boolean inUse;
  }

  private FrameBuffers() {}

  /** A reset buffer for the current thread; give it back with {@link #release}. */
  public static ByteWriter acquire() {
    Slot s = SLOT.get();
    if (s.inUse) {
      return new ByteWriter(INITIAL_BYTES); // nested use on this thread: a private buffer
    }
    s.inUse = true;
    s.writer.reset();
    return s.writer;
  }

  /** Returns a buffer obtained from {@link #acquire}. */
  public static void release(ByteWriter w) {
    Slot s = SLOT.get();
    if (s.writer == w) {
      s.inUse = false;
      if (w.array().length > KEEP_BYTES) {
        s.writer = new ByteWriter(INITIAL_BYTES);
      }
    }
  }
}
