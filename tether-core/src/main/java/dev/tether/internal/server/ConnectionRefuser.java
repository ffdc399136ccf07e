package dev.tether.internal.server;

import dev.tether.ErrorCode;
import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.time.Clock;
import dev.tether.internal.transport.Lingering;
import dev.tether.internal.transport.Link;
import dev.tether.internal.wire.Frames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Turns away a connection the server will not serve (it has {@code maxConnections} already):
 * writes GOAWAY with the reason, so the client's handshake fails with it instead of hanging, then
 * closes. Before closing it ends its sending and reads and drops what the client sent (its HELLO)
 * for a moment ({@link Lingering}): closing a socket with unread input resets it, and the reset
 * may destroy the GOAWAY before the client reads it. That short linger runs on a virtual thread,
 * at most {@value #MAX_LINGERING} at once; beyond that a refused connection is closed at once (a
 * flood gets no reason, only the close).
 *
 * <p>Thread-safe.
 */
final class ConnectionRefuser {
  static final int MAX_LINGERING = 64;
  private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private final Semaphore lingering = new Semaphore(MAX_LINGERING);

  /** Refuses {@code link} with GOAWAY({@code code}, {@code why}), then closes it. */
  void refuse(Link link, ErrorCode code, String why) {
    ByteWriter w = new ByteWriter(64 + why.length() * 3);
    Frames.goAway(w, code, why);
    try {
      link.write(ByteBuffer.wrap(w.array(), 0, w.size())); // a fresh socket: room for it
    } catch (IOException e) {
      link.close();
      return;
    }
    if (!lingering.tryAcquire()) {
      link.close();
      return;
    }
    try {
      Thread.ofVirtual().name("tether-refuse " + link.peer()).start(() -> linger(link));
    } catch (RuntimeException | OutOfMemoryError e) {
      lingering.release();
      link.close();
    }
  }

  private void linger(Link link) {
    try {
      link.shutdownOutput(); // the client reads the GOAWAY, then our end, and leaves
      Lingering.untilPeerEnds(link, LINGER_NANOS, Clock.system());
    } finally {
      link.close();
      lingering.release();
    }
  }
}
