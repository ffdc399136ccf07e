package dev.tether.internal.transport;

import dev.tether.internal.time.Clock;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The last part of a graceful close: after this side has sent everything and ended its sending
 * ({@link Link#shutdownOutput}), read and drop what the peer still sends until its end of stream.
 * Closing a TCP socket with unread input makes the kernel reset the connection, and a reset
 * discards what this side wrote but the network has not delivered yet (the tail of the last
 * answers, of a result stream, of a GOAWAY): reading until the peer's end first avoids that.
 *
 * <p>Bounded: it gives up after the given time (a peer that never closes is then closed
 * anyway). Holds one 1 KiB buffer. Stateless; call it on the link's reading thread (a platform
 * thread waits in the link's selector, a virtual one polls).
 */
public final class Lingering {
  /**
   * A virtual thread polls every this many milliseconds instead of waiting in a selector, which
   * would hold a carrier thread (the refuser lingers on many virtual threads at once).
   */
  private static final long POLL_MILLIS = 10;

  private Lingering() {}

  /**
   * Reads and drops {@code link}'s input until its end, a read failure or {@code boundNanos} of
   * {@code clock} time; does not close the link. Returns true when the peer's end was seen. An
   * interrupt ends the wait early (its flag stays set).
   */
  public static boolean untilPeerEnds(Link link, long boundNanos, Clock clock) {
    ByteBuffer sink = ByteBuffer.allocate(1024);
    long end = clock.nanoTime() + boundNanos;
    try {
      while (true) {
        sink.clear();
        int n = link.tryRead(sink);
        if (n < 0) {
          return true;
        }
        if (n > 0) {
          continue;
        }
        long left = end - clock.nanoTime();
        if (left <= 0 || Thread.currentThread().isInterrupted()) {
          return false;
        }
        if (Thread.currentThread().isVirtual()) {
          Thread.sleep(Math.min(POLL_MILLIS, Math.max(1, left / 1_000_000)));
        } else {
          link.awaitReadable(left);
        }
      }
    } catch (IOException e) {
      return false; // reset or closed: nothing left to protect
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
