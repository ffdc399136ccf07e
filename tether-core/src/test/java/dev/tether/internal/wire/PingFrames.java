package dev.tether.internal.wire;

import dev.tether.internal.codec.ByteWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** PING frames for frame-reader tests: the bytes of one, and a handler that records them. */
final class PingFrames {
  private PingFrames() {}

  /** Records the values of the PINGs it is handed, in order. */
  static final class Pings implements FrameHandler {
    final List<Long> values = new ArrayList<>();

    @Override
    public void ping(long value) {
      values.add(value);
    }
  }

  /** The bytes of a PING frame carrying {@code value}. */
  static byte[] ping(long value) {
    ByteWriter w = new ByteWriter(32);
    Frames.ping(w, false, value);
    return Arrays.copyOf(w.array(), w.size());
  }
}
