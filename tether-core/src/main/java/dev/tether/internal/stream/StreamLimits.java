package dev.tether.internal.stream;

/**
 * The sizes that bound a stream's memory and shape its frames. A receiver never holds more than
 * its window of one stream (it grants no more credit; {@link #DEFAULT_WINDOW_BYTES} unless
 * configured, growing to {@link #NETWORK_MAX_WINDOW_BYTES} over TCP), and a connection never has
 * more than {@link #MAX_INBOUND_STREAMS} streams coming in, so its stream buffers stay under its
 * largest window x {@value #MAX_INBOUND_STREAMS} bytes plus one chunk each.
 */
public final class StreamLimits {
  /**
   * Most bytes of one STREAM_DATA frame. Large enough that the per-chunk costs (a frame, a
   * wake-up of the reading thread, a lock round) are small beside the copy; small enough that a
   * call's frame never waits behind more than one chunk's write (see {@code FrameWriter#writeBulk}).
   * Smaller when the peer accepts only smaller frames ({@link #chunkBytes}).
   */
  public static final int CHUNK_BYTES = 128 * 1024;
  /** Default credit a receiver grants one stream: the most bytes sent and not yet read. */
  public static final int DEFAULT_WINDOW_BYTES = 1024 * 1024;
  /**
   * Most a stream's window grows to over a network link (TCP, TLS) when the default window was
   * not changed: it starts at {@link #DEFAULT_WINDOW_BYTES} and doubles while its reader keeps up
   * ({@link #grownWindow}). TCP's auto-tuned send buffer holds more than 1 MiB, so a 1 MiB window,
   * not the socket, held a transfer there: the sender parked for credit about once per grant.
   * Over a Unix socket its ~208 KiB send buffer binds first, and a larger window only let more
   * stream data queue ahead of small calls' answers, so the window stays fixed there.
   */
  public static final int NETWORK_MAX_WINDOW_BYTES = 4 * 1024 * 1024;
  /** Smallest configurable window. */
  public static final int MIN_WINDOW_BYTES = 16 * 1024;
  /** Largest configurable window. */
  public static final int MAX_WINDOW_BYTES = 64 * 1024 * 1024;
  /** Most streams coming in on one connection at once (parameters on a server, results on a client). */
  public static final int MAX_INBOUND_STREAMS = 16;
  /**
   * Chunks a pump sends in the mode that leaves room for small frames after it last saw one
   * (a call, an answer, a credit) sent beside its data: in that mode it waits, before each
   * chunk, until the socket's send buffer has drained (without holding the connection's writer),
   * so an answer waits behind less stream data and never behind a chunk blocked in the socket.
   * 32 chunks are 4 MiB: a stream with no call beside it soon runs at full speed again.
   */
  static final int YIELD_CHUNKS = 32;
  /** How long a yielding pump waits for room at a time before it checks whether to stop. */
  static final long ROOM_CHECK_NANOS = 50_000_000L;
  /** Most a yielding pump waits for room before it writes anyway (and blocks as before). */
  static final long ROOM_WAIT_NANOS = 1_000_000_000L;

  private StreamLimits() {}

  /**
   * The most a stream's window may grow to on a connection whose streams start with
   * {@code window}: {@link #NETWORK_MAX_WINDOW_BYTES} over a network link with the default window;
   * otherwise {@code window} itself (a configured window is fixed).
   */
  public static int maxWindow(int window, boolean network) {
    return network && window == DEFAULT_WINDOW_BYTES ? NETWORK_MAX_WINDOW_BYTES : window;
  }

  /**
   * The window after a reader that keeps up drained its stream: twice {@code window}, at most
   * {@code maxWindow}. A reader keeps up when it has read everything that arrived, a whole window
   * since the window last grew: then the sender, not the reader, waits, and more credit lets it
   * send on. A slow reader always finds data queued, so its window never grows.
   */
  static int grownWindow(int window, int maxWindow) {
    return (int) Math.min(maxWindow, 2L * window);
  }

  /** A receiver grants more once this much of its {@code window} has been read. */
  static int regrantBytes(int window) {
    return Math.max(1, window / 4);
  }

  /** Most data bytes of one STREAM_DATA frame to a peer that accepts frames up to {@code peerMax}. */
  public static int chunkBytes(int peerMaxFrameBytes) {
    return Math.max(1, Math.min(CHUNK_BYTES, peerMaxFrameBytes - DATA_FRAME_OVERHEAD));
  }

  /** Bytes of a STREAM_DATA frame's body beyond its data (header and slot), at most. */
  static final int DATA_FRAME_OVERHEAD = 16;

  /**
   * Checks a configured window.
   *
   * @throws IllegalArgumentException outside {@link #MIN_WINDOW_BYTES}..{@link #MAX_WINDOW_BYTES}
   */
  public static int checkWindow(int bytes) {
    if (bytes < MIN_WINDOW_BYTES || bytes > MAX_WINDOW_BYTES) {
      throw new IllegalArgumentException("streamWindowBytes must be between " + MIN_WINDOW_BYTES
          + " and " + MAX_WINDOW_BYTES + ": " + bytes);
    }
    return bytes;
  }
}
