package dev.tether.internal.wire;

import dev.tether.CallMetadata;
import dev.tether.ErrorCode;
import dev.tether.internal.codec.ByteWriter;
import java.util.List;

/**
 * Builds frames into a {@link ByteWriter}: {@link #begin} writes the header, the caller appends
 * the payload (or uses one of the helpers), {@link #end} patches the length. Encoding happens on the
 * caller's thread, outside any connection lock; only the finished bytes go to the
 * {@link FrameWriter}.
 */
public final class Frames {
  private Frames() {}

  /** Resets {@code w} and writes a header with a placeholder length. */
  public static ByteWriter begin(ByteWriter w, int kind, int flags, int callId) {
    w.reset();
    w.skip(FrameKind.LENGTH_BYTES);
    w.writeByte(kind);
    w.writeByte(flags);
    w.writeInt(callId);
    return w;
  }

  /**
   * Patches the length of the frame in {@code w}.
   *
   * @throws FrameTooLargeException when the frame exceeds {@code maxFrameBytes}
   */
  public static void end(ByteWriter w, int maxFrameBytes) {
    int length = w.size() - FrameKind.LENGTH_BYTES;
    if (length > maxFrameBytes) {
      throw new FrameTooLargeException(length, maxFrameBytes);
    }
    w.putInt(0, length);
  }

  /** HELLO: magic, version, the sender's frame limit, a description of the sender. */
  public static void hello(ByteWriter w, int version, int maxFrameBytes, String peer) {
    hello(w, version, maxFrameBytes, peer, 0);
  }

  /** HELLO with flags ({@link FrameKind#FLAG_HELLO_SECRET}). */
  public static void hello(ByteWriter w, int version, int maxFrameBytes, String peer, int flags) {
    begin(w, FrameKind.HELLO, flags, 0);
    w.writeInt(FrameKind.MAGIC);
    w.writeVarInt(version);
    w.writeVarInt(maxFrameBytes);
    w.writeString(description(peer));
    end(w, Integer.MAX_VALUE);
  }

  /** The description as HELLO carries it: at most {@link FrameKind#MAX_DESCRIPTION_CHARS}. */
  public static String description(String peer) {
    return peer.length() > FrameKind.MAX_DESCRIPTION_CHARS
        ? peer.substring(0, FrameKind.MAX_DESCRIPTION_CHARS) : peer;
  }

  /**
   * AUTH step {@code step} with {@code value} (a nonce or a proof); {@code keyId} only in step
   * {@link FrameKind#AUTH_CLIENT_NONCE}, else null.
   */
  public static void auth(ByteWriter w, int step, String keyId, byte[] value) {
    begin(w, FrameKind.AUTH, step, 0);
    if (step == FrameKind.AUTH_CLIENT_NONCE) {
      w.writeString(keyId);
    }
    w.writeVarInt(value.length);
    w.writeBytes(value, 0, value.length);
    end(w, Integer.MAX_VALUE);
  }

  /** RESOLVE: object name, interface name, the signature of each method in client order. */
  public static void resolve(ByteWriter w, int callId, String name, String iface,
      List<String> signatures, int maxFrameBytes) {
    begin(w, FrameKind.RESOLVE, 0, callId);
    w.writeString(name);
    w.writeString(iface);
    w.writeVarInt(signatures.size());
    for (String s : signatures) {
      w.writeString(s);
    }
    end(w, maxFrameBytes);
  }

  /** RESOLVED: the binding id. */
  public static void resolved(ByteWriter w, int callId, int bindingId) {
    begin(w, FrameKind.RESOLVED, 0, callId);
    w.writeVarInt(bindingId);
    end(w, Integer.MAX_VALUE);
  }

  /**
   * Starts a CALL frame; the caller then encodes the arguments and calls {@link #end}.
   *
   * @param deadlineNanos remaining time until the deadline, or negative for none
   */
  public static void beginCall(ByteWriter w, int callId, int bindingId, int methodIndex,
      long deadlineNanos) {
    beginCall(w, callId, bindingId, methodIndex, deadlineNanos, null);
  }

  /**
   * Like {@link #beginCall(ByteWriter, int, int, int, long)}, with the call's metadata (null or
   * empty: none, and the frame is exactly as without).
   */
  public static void beginCall(ByteWriter w, int callId, int bindingId, int methodIndex,
      long deadlineNanos, CallMetadata metadata) {
    boolean md = metadata != null && !metadata.isEmpty();
    begin(w, FrameKind.CALL, (deadlineNanos >= 0 ? FrameKind.FLAG_DEADLINE : 0)
        | (md ? FrameKind.FLAG_METADATA : 0), callId);
    w.writeVarInt(bindingId);
    w.writeVarInt(methodIndex);
    if (deadlineNanos >= 0) {
      w.writeVarLong(deadlineNanos);
    }
    if (md) {
      MetadataPayload.write(w, metadata);
    }
  }

  /** Starts a RESULT frame; the caller encodes the value and calls {@link #end}. */
  public static void beginResult(ByteWriter w, int callId) {
    begin(w, FrameKind.RESULT, 0, callId);
  }

  /** ERROR with a code, a message and the chain of {@code thrown} (may be null). */
  public static void error(ByteWriter w, int callId, ErrorCode code, String message,
      Throwable thrown, int maxFrameBytes) {
    begin(w, FrameKind.ERROR, 0, callId);
    ErrorPayload.write(w, code, message, thrown);
    if (w.size() - FrameKind.LENGTH_BYTES > maxFrameBytes) {
      begin(w, FrameKind.ERROR, 0, callId);
      ErrorPayload.write(w, code, message, null);
    }
    end(w, maxFrameBytes);
  }

  /**
   * ERROR with {@link FrameKind#FLAG_REFUSED}: the call was refused before it was dispatched,
   * with a retry-after hint in nanoseconds (0 for none).
   */
  public static void refusal(ByteWriter w, int callId, ErrorCode code, String message,
      long retryAfterNanos, int maxFrameBytes) {
    begin(w, FrameKind.ERROR, FrameKind.FLAG_REFUSED, callId);
    ErrorPayload.write(w, code, message, null);
    w.writeVarLong(Math.max(0, retryAfterNanos));
    end(w, maxFrameBytes);
  }

  /**
   * CANCEL with the caller's grace ({@code Long.MAX_VALUE} for unbounded); {@code deadline} when
   * the caller's deadline is the reason.
   */
  public static void cancel(ByteWriter w, int callId, boolean callerReleased, boolean deadline,
      long graceNanos) {
    int flags = (callerReleased ? FrameKind.FLAG_CALLER_RELEASED : 0)
        | (deadline ? FrameKind.FLAG_CANCEL_DEADLINE : 0);
    begin(w, FrameKind.CANCEL, flags, callId);
    w.writeVarLong(graceNanos);
    end(w, Integer.MAX_VALUE);
  }

  /** CANCEL_ACK: the server stopped the call because of the cancel. */
  public static void cancelAck(ByteWriter w, int callId, String message, boolean deadline) {
    begin(w, FrameKind.CANCEL_ACK, deadline ? FrameKind.FLAG_ACK_DEADLINE : 0, callId);
    ErrorPayload.writeNullable(w, message);
    end(w, Integer.MAX_VALUE);
  }

  /** PING or PONG with an opaque value. */
  public static void ping(ByteWriter w, boolean pong, long value) {
    begin(w, pong ? FrameKind.PONG : FrameKind.PING, 0, 0);
    w.writeLong(value);
    end(w, Integer.MAX_VALUE);
  }

  /** GOAWAY with a code and a reason. */
  public static void goAway(ByteWriter w, ErrorCode code, String message) {
    begin(w, FrameKind.GOAWAY, 0, 0);
    w.writeVarInt(code.wireValue());
    ErrorPayload.writeNullable(w, message);
    end(w, Integer.MAX_VALUE);
  }
}
