package dev.tether.internal.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.GatheringByteChannel;

/** A {@link Link} over a blocking NIO channel: a socket (Unix-domain or TCP) or a pipe pair. */
final class ChannelLink implements Link {
  private final ByteChannel in;
  private final GatheringByteChannel out;
  private final AutoCloseable[] resources;
  private final String peer;

  ChannelLink(ByteChannel in, GatheringByteChannel out, String peer, AutoCloseable... resources) {
    this.in = in;
    this.out = out;
    this.peer = peer;
    this.resources = resources;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return in.read(dst);
  }

  @Override
  public void write(ByteBuffer src) throws IOException {
    while (src.hasRemaining()) {
      out.write(src);
    }
  }

  @Override
  public void write(ByteBuffer[] srcs) throws IOException {
    ByteBuffer last = srcs[srcs.length - 1];
    while (last.hasRemaining() || anyRemaining(srcs)) {
      out.write(srcs);
    }
  }

  private static boolean anyRemaining(ByteBuffer[] srcs) {
    for (ByteBuffer b : srcs) {
      if (b.hasRemaining()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String peer() {
    return peer;
  }

  @Override
  public void close() {
    for (AutoCloseable c : resources) {
      try {
        c.close();
      } catch (Exception ignored) {
        // closing is best effort; the link is unusable either way
      }
    }
  }

  @Override
  public String toString() {
    return "Link[" + peer + "]";
  }
}
