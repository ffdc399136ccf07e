package dev.tether.internal.stream;

/**
 * The sizes that bound a stream's memory. A receiver never holds more than {@link #WINDOW_BYTES}
 * of one stream (it grants no more credit), and a connection never has more than
 * {@link #MAX_INBOUND_STREAMS} streams coming in, so its stream buffers stay under
 * {@value #WINDOW_BYTES} x {@value #MAX_INBOUND_STREAMS} bytes (16 MiB) plus one chunk each.
 */
public final class StreamLimits {
  /** Most bytes of one STREAM_DATA frame (fits the frame reader's buffer, so no large-frame path). */
  public static final int CHUNK_BYTES = 32 * 1024;
  /** Credit a receiver grants one stream: the most bytes sent and not yet read. */
  public static final int WINDOW_BYTES = 1024 * 1024;
  /** A receiver grants more once this much of its window has been read. */
  static final int REGRANT_BYTES = WINDOW_BYTES / 4;
  /** Most streams coming in on one connection at once (parameters on a server, results on a client). */
  public static final int MAX_INBOUND_STREAMS = 16;

  private StreamLimits() {}
}
