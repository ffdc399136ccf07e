package dev.tether.internal.wire;

import dev.tether.ErrorCode;
import dev.tether.internal.codec.ByteWriter;

/**
 * Builds the frames of byte streams (STREAM_DATA, STREAM_CREDIT, STREAM_RESET) and marks a RESULT
 * whose value is a stream. Like {@link Frames}: encoding on the caller's thread, outside any lock.
 */
public final class StreamFrames {
  /** Most bytes of the frame header plus a slot varint: a DATA frame's overhead. */
  public static final int DATA_OVERHEAD = FrameKind.LENGTH_BYTES + FrameKind.HEADER_BYTES + 5;

  private StreamFrames() {}

  /**
   * Starts a STREAM_DATA frame; the caller appends the bytes (or fills them straight into the
   * array after {@link ByteWriter#reserve}) and calls {@link Frames#end}.
   */
  public static void beginData(ByteWriter w, int callId, int slot, boolean end) {
    Frames.begin(w, FrameKind.STREAM_DATA, end ? FrameKind.FLAG_STREAM_END : 0, callId);
    w.writeVarInt(slot);
  }

  /** STREAM_CREDIT: {@code bytes} more may be sent on stream {@code slot} of call {@code callId}. */
  public static void credit(ByteWriter w, int callId, int slot, int bytes) {
    Frames.begin(w, FrameKind.STREAM_CREDIT, 0, callId);
    w.writeVarInt(slot);
    w.writeVarInt(bytes);
    Frames.end(w, Integer.MAX_VALUE);
  }

  /** STREAM_RESET with a code, a message and the chain of {@code thrown} (may be null). */
  public static void reset(ByteWriter w, int callId, int slot, ErrorCode code, String message,
      Throwable thrown, int maxFrameBytes) {
    Frames.begin(w, FrameKind.STREAM_RESET, 0, callId);
    w.writeVarInt(slot);
    ErrorPayload.write(w, code, message, thrown);
    if (w.size() - FrameKind.LENGTH_BYTES > maxFrameBytes) {
      Frames.begin(w, FrameKind.STREAM_RESET, 0, callId);
      w.writeVarInt(slot);
      ErrorPayload.write(w, code, message, null);
    }
    Frames.end(w, Integer.MAX_VALUE);
  }

  /** Flags the RESULT frame being built in {@code w} as carrying a stream (slot 0). */
  public static void markResultStream(ByteWriter w) {
    w.array()[FrameKind.LENGTH_BYTES + 1] |= (byte) FrameKind.FLAG_RESULT_STREAM;
  }

  /** Whether a RESULT frame's {@code body} (as the reader hands it over) carries a stream. */
  public static boolean isResultStream(byte[] body) {
    return (body[1] & FrameKind.FLAG_RESULT_STREAM) != 0;
  }
}
