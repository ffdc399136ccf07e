package dev.tether.bench.jmh;

import dev.tether.internal.transport.Link;
import java.nio.ByteBuffer;

/**
 * An in-memory {@link Link} for microbenchmarks: writes are copied into a sink buffer that is
 * recycled when full; reads replay one fixed byte sequence (for example one frame) over and over.
 */
final class MemoryLink implements Link {
  private final ByteBuffer sink = ByteBuffer.allocate(1 << 20);
  private final byte[] replay;
  private int replayPos;

  /** A link whose reads return {@code replay} again and again (empty: reads return -1). */
  MemoryLink(byte[] replay) {
    this.replay = replay;
  }

  @Override
  public int tryRead(ByteBuffer dst) {
    if (replay.length == 0) {
      return -1;
    }
    int n = 0;
    while (dst.hasRemaining()) {
      int chunk = Math.min(dst.remaining(), replay.length - replayPos);
      dst.put(replay, replayPos, chunk);
      replayPos = (replayPos + chunk) % replay.length;
      n += chunk;
    }
    return n;
  }

  @Override
  public boolean awaitReadable(long timeoutNanos) {
    return replay.length > 0;
  }

  @Override
  public void wakeupReader() {
    // reads never block
  }

  @Override
  public void write(ByteBuffer src) {
    if (sink.remaining() < src.remaining()) {
      sink.clear();
    }
    sink.put(src);
  }

  @Override
  public String peer() {
    return "memory";
  }

  @Override
  public void close() {
    // nothing to release
  }
}
