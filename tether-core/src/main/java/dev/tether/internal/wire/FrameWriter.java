package dev.tether.internal.wire;

import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.transport.Link;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes finished frames to a {@link Link}, one at a time, from any thread. A frame is written
 * whole or the link is broken: the caller must close the connection on {@link IOException}.
 */
public final class FrameWriter {
  private final Link link;
  private final ReentrantLock lock = new ReentrantLock();

  /** Creates a writer for {@code link}. */
  public FrameWriter(Link link) {
    this.link = link;
  }

  /** Writes the frame built in {@code frame} (see {@link Frames}). */
  public void write(ByteWriter frame) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(frame.array(), 0, frame.size());
    lock.lock();
    try {
      link.write(bytes);
    } finally {
      lock.unlock();
    }
  }
}
