package dev.tether.internal.wire;

import dev.tether.ErrorCode;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Receives the frames a {@link FrameReader} parses, one method per kind, on the reading thread.
 * Byte arrays handed over belong to the handler. A side that never receives a kind rejects it by
 * throwing {@link ProtocolException}; the defaults do that.
 */
public interface FrameHandler {
  /** HELLO from the peer. */
  default void hello(int version, int maxFrameBytes, String peer) throws ProtocolException {
    throw unexpected(FrameKind.HELLO);
  }

  /**
   * HELLO from the peer, with its flags ({@link FrameKind#FLAG_HELLO_SECRET}). The default
   * ignores the flags and calls {@link #hello(int, int, String)}.
   */
  default void hello(int version, int maxFrameBytes, String peer, int flags)
      throws ProtocolException {
    hello(version, maxFrameBytes, peer);
  }

  /**
   * AUTH: one step of the shared-secret handshake; {@code keyId} is null except in step
   * {@link FrameKind#AUTH_CLIENT_NONCE}; {@code value} is a nonce or a proof.
   */
  default void auth(int step, String keyId, byte[] value) throws ProtocolException {
    throw unexpected(FrameKind.AUTH);
  }

  /** RESOLVE: a client asks for an exported object. */
  default void resolve(int callId, String name, String iface, List<String> signatures)
      throws ProtocolException {
    throw unexpected(FrameKind.RESOLVE);
  }

  /** RESOLVED: the server's binding id for an earlier RESOLVE. */
  default void resolved(int callId, int bindingId) throws ProtocolException {
    throw unexpected(FrameKind.RESOLVED);
  }

  /**
   * CALL: arguments are encoded in {@code body} from {@code argsOffset} to its end.
   *
   * @param deadlineNanos remaining nanoseconds to the caller's deadline, or -1 for none
   */
  default void call(int callId, int bindingId, int methodIndex, long deadlineNanos, byte[] body,
      int argsOffset) throws ProtocolException {
    throw unexpected(FrameKind.CALL);
  }

  /** RESULT: the value is encoded in {@code body} from {@code offset} to its end. */
  default void result(int callId, byte[] body, int offset) throws ProtocolException {
    throw unexpected(FrameKind.RESULT);
  }

  /** ERROR for a call (callId &gt; 0) or a RESOLVE. */
  default void error(int callId, RemoteError error) throws ProtocolException {
    throw unexpected(FrameKind.ERROR);
  }

  /**
   * CANCEL from the caller: {@code callerReleased} when the caller no longer waits for an
   * answer, {@code deadline} when the caller's deadline is the reason.
   */
  default void cancel(int callId, boolean callerReleased, boolean deadline, long graceNanos)
      throws ProtocolException {
    throw unexpected(FrameKind.CANCEL);
  }

  /** CANCEL_ACK from the server; {@code deadline} when its deadline was the reason. */
  default void cancelAck(int callId, String message, boolean deadline) throws ProtocolException {
    throw unexpected(FrameKind.CANCEL_ACK);
  }

  /** PING: answer with PONG carrying {@code value}. */
  default void ping(long value) throws ProtocolException {
    throw unexpected(FrameKind.PING);
  }

  /** PONG answering our PING. */
  default void pong(long value) throws ProtocolException {
    throw unexpected(FrameKind.PONG);
  }

  /** GOAWAY: the peer starts no new calls and will close. */
  default void goAway(ErrorCode code, String message) throws ProtocolException {
    throw unexpected(FrameKind.GOAWAY);
  }

  /**
   * STREAM_DATA: bytes of stream {@code slot} of call {@code callId}, in {@code body} from
   * {@code offset} to its end; {@code end} on the last chunk.
   */
  default void streamData(int callId, int slot, boolean end, byte[] body, int offset)
      throws ProtocolException {
    throw unexpected(FrameKind.STREAM_DATA);
  }

  /**
   * STREAM_DATA read into a direct buffer of {@code buffers} (see
   * {@link FrameReader#readChunksInto}): the bytes from {@code data}'s position to its limit. The
   * handler owns the buffer and gives it back to {@code buffers} once nobody uses it (or drops
   * it). By default, copies the bytes to an array for
   * {@link #streamData(int, int, boolean, byte[], int)} and gives the buffer back at once.
   */
  default void streamData(int callId, int slot, boolean end, ByteBuffer data,
      ChunkBuffers buffers) throws ProtocolException {
    byte[] copy = new byte[data.remaining()];
    data.get(copy);
    buffers.give(data);
    streamData(callId, slot, end, copy, 0);
  }

  /** STREAM_CREDIT: the receiver of stream {@code slot} of call {@code callId} takes more bytes. */
  default void streamCredit(int callId, int slot, int bytes) throws ProtocolException {
    throw unexpected(FrameKind.STREAM_CREDIT);
  }

  /** STREAM_RESET: the peer abandoned stream {@code slot} of call {@code callId}. */
  default void streamReset(int callId, int slot, RemoteError error) throws ProtocolException {
    throw unexpected(FrameKind.STREAM_RESET);
  }

  private static ProtocolException unexpected(int kind) {
    return new ProtocolException("unexpected " + FrameKind.name(kind) + " frame");
  }
}
