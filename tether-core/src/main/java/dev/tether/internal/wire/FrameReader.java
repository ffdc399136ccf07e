package dev.tether.internal.wire;

import dev.tether.ErrorCode;
import dev.tether.internal.codec.ByteReader;
import dev.tether.internal.codec.DecodeException;
import dev.tether.internal.transport.Link;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads frames from a {@link Link} and hands each to a {@link FrameHandler}. Reads in large
 * chunks so that frames arriving together cost one system call. Not thread-safe: one reading
 * thread at a time. Anything malformed (a length beyond the limit, an unknown kind, a truncated or
 * undecodable payload) throws {@link ProtocolException}.
 */
public final class FrameReader {
  private static final int BUFFER_BYTES = 64 * 1024;

  private final Link link;
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).flip();
  private volatile int maxFrameBytes;

  /** Creates a reader that rejects frames longer than {@code maxFrameBytes}. */
  public FrameReader(Link link, int maxFrameBytes) {
    this.link = link;
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Changes the frame limit (after the handshake). */
  public void maxFrameBytes(int max) {
    this.maxFrameBytes = max;
  }

  /**
   * Reads one frame, blocking, and dispatches it.
   *
   * @return false at a clean end of stream between frames
   * @throws EOFException when the stream ends inside a frame
   */
  public boolean next(FrameHandler handler) throws IOException, ProtocolException {
    if (!fill(FrameKind.LENGTH_BYTES, true)) {
      return false;
    }
    int length = buffer.getInt();
    if (length < FrameKind.HEADER_BYTES || length > maxFrameBytes) {
      throw new ProtocolException("frame length " + length + " outside 6.." + maxFrameBytes);
    }
    byte[] body = new byte[length];
    int fromBuffer = Math.min(buffer.remaining(), length);
    buffer.get(body, 0, fromBuffer);
    if (fromBuffer < length) {
      ByteBuffer rest = ByteBuffer.wrap(body, fromBuffer, length - fromBuffer);
      while (rest.hasRemaining()) {
        if (link.read(rest) < 0) {
          throw new EOFException("stream ended inside a frame");
        }
      }
    }
    dispatch(body, handler);
    return true;
  }

  /** Ensures {@code n} bytes are buffered; false at clean EOF when {@code eofOk} and none are. */
  private boolean fill(int n, boolean eofOk) throws IOException {
    while (buffer.remaining() < n) {
      buffer.compact();
      int read;
      try {
        read = link.read(buffer);
      } finally {
        buffer.flip();
      }
      if (read < 0) {
        if (eofOk && buffer.remaining() == 0) {
          return false;
        }
        throw new EOFException("stream ended inside a frame");
      }
    }
    return true;
  }

  private static void dispatch(byte[] body, FrameHandler h) throws ProtocolException {
    int kind = body[0] & 0xff;
    int flags = body[1] & 0xff;
    int callId = ((body[2] & 0xff) << 24) | ((body[3] & 0xff) << 16) | ((body[4] & 0xff) << 8)
        | (body[5] & 0xff);
    ByteReader r = new ByteReader(body, FrameKind.HEADER_BYTES, body.length - FrameKind.HEADER_BYTES);
    try {
      switch (kind) {
        case FrameKind.HELLO -> {
          if (r.readInt() != FrameKind.MAGIC) {
            throw new ProtocolException("not a Tether peer (bad magic in HELLO)");
          }
          h.hello(r.readVarInt(), r.readVarInt(), r.readString());
        }
        case FrameKind.RESOLVE -> {
          String name = r.readString();
          String iface = r.readString();
          int n = r.readCount();
          List<String> sigs = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            sigs.add(r.readString());
          }
          h.resolve(callId, name, iface, sigs);
        }
        case FrameKind.RESOLVED -> h.resolved(callId, r.readVarInt());
        case FrameKind.CALL -> {
          int binding = r.readVarInt();
          int method = r.readVarInt();
          long deadline = -1;
          if ((flags & FrameKind.FLAG_DEADLINE) != 0) {
            deadline = r.readVarLong();
            if (deadline < 0) {
              throw new ProtocolException("negative deadline in CALL");
            }
          }
          h.call(callId, binding, method, deadline, body, r.position());
        }
        case FrameKind.RESULT -> h.result(callId, body, FrameKind.HEADER_BYTES);
        case FrameKind.ERROR -> h.error(callId, ErrorPayload.read(r));
        case FrameKind.CANCEL ->
            h.cancel(callId, (flags & FrameKind.FLAG_CALLER_RELEASED) != 0, r.readVarLong());
        case FrameKind.CANCEL_ACK -> h.cancelAck(callId, ErrorPayload.readNullable(r),
            (flags & FrameKind.FLAG_ACK_DEADLINE) != 0);
        case FrameKind.PING -> h.ping(r.readLong());
        case FrameKind.PONG -> h.pong(r.readLong());
        case FrameKind.GOAWAY ->
            h.goAway(ErrorCode.fromWire(r.readVarInt()), ErrorPayload.readNullable(r));
        default -> throw new ProtocolException("unknown frame kind " + kind);
      }
    } catch (DecodeException e) {
      throw new ProtocolException("malformed " + FrameKind.name(kind) + " frame: " + e.getMessage(), e);
    }
  }
}
