package dev.tether.internal.stream;

import dev.tether.internal.time.Clock;
import dev.tether.internal.wire.FrameHandler;
import dev.tether.internal.wire.FrameReader;
import dev.tether.internal.wire.ProtocolException;
import java.io.IOException;

/**
 * One poll of a thread that reads the connection for its stream ({@link ReadAssist}: the
 * client's {@code ConsumerReads}, the server's {@code ArgumentReads}): without waiting while it
 * spins (or a whole frame is already buffered), yielding the core between polls so a thread
 * waiting for it (perhaps the peer) runs first, then waiting in the selector. Each caller loops
 * on it with its own stop conditions. Stateless; the caller owns the connection's reads.
 */
public final class LeadPoll {
  /** Nothing read, and the thread is interrupted: the stream fails with the interrupt. */
  public static final int INTERRUPTED = -2;
  /** Nothing read yet while spinning (the core was yielded): poll again. */
  public static final int SPUN = 2;

  private LeadPoll() {}

  /**
   * Polls {@code frames} once, frames going to {@code handler}: at once while {@code spinEnd}
   * (a {@link Clock#system()} reading) has not passed, else waiting up to {@code waitNanos}.
   *
   * @return {@link FrameReader#FRAME}, {@link FrameReader#END}, {@link FrameReader#NONE} (waited,
   *     nothing came), {@link #SPUN} or {@link #INTERRUPTED}
   */
  public static int poll(FrameReader frames, FrameHandler handler, long spinNanos, long spinEnd,
      long waitNanos) throws IOException, ProtocolException {
    int r = spinNanos > 0 || frames.hasBufferedFrame() ? frames.poll(handler, 0)
        : FrameReader.NONE;
    if (r != FrameReader.NONE) {
      return r;
    }
    if (Thread.currentThread().isInterrupted()) {
      return INTERRUPTED;
    }
    if (Clock.system().nanoTime() - spinEnd < 0) {
      Thread.yield();
      return SPUN;
    }
    return frames.poll(handler, waitNanos);
  }
}
