package dev.tether.internal.wire;

import dev.tether.ErrorCode;
import dev.tether.internal.codec.ByteReader;
import dev.tether.internal.codec.DecodeException;
import dev.tether.internal.time.Clock;
import dev.tether.internal.transport.Link;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads frames from a {@link Link} and hands each to a {@link FrameHandler}. Reads in large
 * chunks so that frames arriving together cost one system call. Not thread-safe: one reading
 * thread at a time, though that thread may change (a partly read frame is kept). Anything
 * malformed (a length beyond the limit, an unknown kind, a truncated or undecodable payload)
 * throws {@link ProtocolException}.
 */
public final class FrameReader {
  private static final int BUFFER_BYTES = 64 * 1024;

  /** Longest wait for a budget release before the reader looks at its link again. */
  private static final long BUDGET_WAIT_NANOS = 20_000_000;

  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
  private final Link link;
  /**
   * {@link #EMPTY} until the first read, and after {@link #releaseBuffer} until the next: a peer
   * that has sent nothing costs no buffer.
   */
  private ByteBuffer buffer = EMPTY;
  private final int maxFrameBytes;
  private final ByteBudget budget; // null: unbounded
  private final RefusalPenalty penalty; // null: none
  private int handshakeFrameBytes; // the limit until handshakeDone(); 0: none
  private byte[] body; // the frame being assembled
  private int bodyFilled;
  private ChunkBuffers chunkBuffers; // null: stream chunks are read into arrays like any frame
  private ByteBuffer direct; // the STREAM_DATA frame being assembled in one of chunkBuffers
  private boolean peekNext; // a chunk was just read whole: read only the next frame's start
  private boolean peeked; // the last readSome read only that (see #readSome)
  private int charged; // bytes of budget held for body (or the frame being dispatched)
  private long penaltyCharged; // bytes charged provisionally to the penalty for that frame
  private boolean blocked; // the last poll found no budget for the next frame, or a penalty
  private ByteBudget blocker; // the budget that refused it; null: the penalty held it

  /** Creates a reader that rejects frames longer than {@code maxFrameBytes}. */
  public FrameReader(Link link, int maxFrameBytes) {
    this(link, maxFrameBytes, null, 0);
  }

  /**
   * Creates a reader that rejects frames longer than {@code maxFrameBytes}, and longer than
   * {@code handshakeFrameBytes} (when positive) until {@link #handshakeDone()}: a peer that has
   * not completed the handshake costs only the fixed read buffer and one small frame. Each frame
   * body is allocated only once {@code budget} (null: unbounded) grants its length; until then the
   * reader stops reading, so the peer's writes block in TCP.
   */
  public FrameReader(Link link, int maxFrameBytes, ByteBudget budget, int handshakeFrameBytes) {
    this(link, maxFrameBytes, budget, handshakeFrameBytes, null);
  }

  /**
   * Like {@link #FrameReader(Link, int, ByteBudget, int)}, and while {@code penalty} (null: none)
   * says so, holds off reading frames too large for the read buffer, as it does when the budget
   * is exhausted. Needs a budget.
   */
  public FrameReader(Link link, int maxFrameBytes, ByteBudget budget, int handshakeFrameBytes,
      RefusalPenalty penalty) {
    if (penalty != null && budget == null) {
      throw new IllegalArgumentException("a refusal penalty needs a budget");
    }
    this.link = link;
    this.maxFrameBytes = maxFrameBytes;
    this.budget = budget;
    this.handshakeFrameBytes = handshakeFrameBytes;
    this.penalty = penalty;
  }

  /**
   * Reads STREAM_DATA frames longer than the read buffer into {@code buffers} and hands them to
   * {@link FrameHandler#streamData(int, int, boolean, ByteBuffer, ChunkBuffers)} (see
   * {@link ChunkBuffers}); null (the default) reads them into arrays like any frame.
   */
  public void readChunksInto(ChunkBuffers buffers) {
    chunkBuffers = buffers;
  }

  /** The peer completed the handshake: frames up to the full limit are accepted from now on. */
  public void handshakeDone() {
    handshakeFrameBytes = 0;
  }

  /**
   * Takes over the provisional {@link RefusalPenalty} charge of the frame being dispatched (0:
   * none): called by a handler that decides later whether the frame is refused for its size (a
   * CALL's arguments); it must {@link RefusalPenalty#refund} the bytes if the frame is accepted.
   * Otherwise the reader refunds them when the handler returns.
   */
  public long takePenaltyCharge() {
    long c = penaltyCharged;
    penaltyCharged = 0;
    return c;
  }

  /**
   * Takes over the budget held for the frame being dispatched: called by a handler that keeps the
   * frame's body beyond the dispatch (a CALL's arguments); it must {@link ByteBudget#release} the
   * returned bytes when done. Otherwise the reader releases them when the handler returns.
   */
  public int takeCharge() {
    int c = charged;
    charged = 0;
    return c;
  }

  /**
   * Gives back the budget held for a frame partly read, and its provisional penalty charge: a
   * frame cut short by its connection's end was never refused for its size (nothing of it was
   * decoded), and keeping the charge made every other held reader wait one more drain before it
   * could even see that its own peer had gone. Called once the reader is no longer used (its
   * connection ended, however).
   */
  public void release() {
    body = null;
    direct = null;
    if (budget != null) {
      budget.release(charged);
    }
    charged = 0;
    refundPenaltyCharge();
  }

  /** Gives back the provisional penalty charge of the current frame, if nobody took it. */
  private void refundPenaltyCharge() {
    if (penaltyCharged != 0) {
      penalty.refund(penaltyCharged);
      penaltyCharged = 0;
    }
  }

  /** {@link #poll} dispatched a frame. */
  public static final int FRAME = 1;
  /** {@link #poll} found no complete frame yet. */
  public static final int NONE = 0;
  /** {@link #poll} reached the end of the stream between frames. */
  public static final int END = -1;

  /**
   * Reads one frame, waiting as long as it takes, and dispatches it. For threads that are never
   * meant to be interrupted: an interrupt is cleared, not obeyed.
   *
   * @return false at a clean end of stream between frames
   * @throws EOFException when the stream ends inside a frame
   */
  public boolean next(FrameHandler handler) throws IOException, ProtocolException {
    while (true) {
      Thread.interrupted();
      int r = poll(handler, Long.MAX_VALUE);
      if (r != NONE) {
        return r == FRAME;
      }
    }
  }

  /**
   * Dispatches one frame if it can be completed from what is buffered plus one non-blocking read
   * and, when {@code timeoutNanos} is positive and nothing has arrived, one wait of at most that
   * long (cut short by {@link Link#wakeupReader()} or an interrupt).
   *
   * @return {@link #FRAME}, {@link #NONE} or {@link #END}
   * @throws EOFException when the stream ends inside a frame
   */
  public int poll(FrameHandler handler, long timeoutNanos) throws IOException, ProtocolException {
    if (dispatchBuffered(handler)) {
      return FRAME;
    }
    if (timeoutNanos > 0 && !blocked && link.waitSeesEveryByte()) {
      // about to wait: a read now would mostly find nothing (a system call for nothing, one per
      // round trip with spinning off); the wait returns at once if bytes are already there
      link.awaitReadable(timeoutNanos);
      return endOrDispatch(readSome(), handler);
    }
    int n = readSome();
    if (blocked && n >= 0) {
      if (timeoutNanos > 0 && blocker != null) {
        blocker.awaitRelease(Math.min(timeoutNanos, BUDGET_WAIT_NANOS));
      } else if (timeoutNanos > 0) { // the penalty: no release helps, only time
        java.util.concurrent.locks.LockSupport.parkNanos(Math.min(timeoutNanos,
            BUDGET_WAIT_NANOS));
      }
      return dispatchBuffered(handler) ? FRAME : NONE;
    }
    if (n == 0 && timeoutNanos > 0) {
      link.awaitReadable(timeoutNanos);
      n = readSome();
    }
    return endOrDispatch(n, handler);
  }

  /**
   * After a read that returned {@code n}: the end of the stream, or the next frame if whole. A
   * read that took only the start of a frame (see {@link #readSome}) is followed by one more.
   */
  private int endOrDispatch(int n, FrameHandler handler) throws IOException, ProtocolException {
    if (n < 0) {
      if (body != null || direct != null || buffer.hasRemaining()) {
        throw new EOFException("stream ended inside a frame");
      }
      return END;
    }
    if (dispatchBuffered(handler)) {
      return FRAME;
    }
    return peeked ? endOrDispatch(readSome(), handler) : NONE;
  }

  /**
   * Frees the read buffer if it holds nothing (no partial frame): a connection that stays idle
   * for long then costs no buffer memory; the next read allocates a new one. Returns false, and
   * keeps everything, when bytes of a frame are pending.
   */
  public boolean releaseBuffer() {
    if (body != null || direct != null || buffer.hasRemaining()) {
      return false;
    }
    buffer = EMPTY;
    if (chunkBuffers != null) {
      chunkBuffers.clear();
    }
    return true;
  }

  /**
   * Like {@link #releaseBuffer} while a frame that fits the read buffer is still arriving: its
   * bytes so far move to a heap array of their own size and the read buffer is freed. For parking
   * a connection whose peer stopped in the middle of its handshake (frames then are at most the
   * handshake limit, a few KiB). Returns false, changing nothing, while a large frame is being
   * assembled.
   */
  public boolean shrinkBuffer() {
    if (body != null || direct != null) {
      return false;
    }
    if (!buffer.hasRemaining()) {
      buffer = EMPTY;
      return true;
    }
    ByteBuffer kept = ByteBuffer.allocate(buffer.remaining());
    kept.put(buffer).flip();
    buffer = kept;
    return true;
  }

  /**
   * True when the next frame is already complete in the read buffer, so the next {@link #poll}
   * dispatches it without reading or waiting (unless the budget holds it back). Cheap: no read.
   */
  public boolean hasBufferedFrame() {
    if (body != null || direct != null || blocked
        || buffer.remaining() < FrameKind.LENGTH_BYTES) {
      return false;
    }
    return buffer.remaining() - FrameKind.LENGTH_BYTES >= buffer.getInt(buffer.position());
  }

  /** Dispatches the next frame if all of it is here. */
  private boolean dispatchBuffered(FrameHandler handler) throws ProtocolException {
    if (direct != null) {
      return fillDirect(handler);
    }
    if (body == null) {
      if (buffer.remaining() < FrameKind.LENGTH_BYTES) {
        return false;
      }
      int length = buffer.getInt(buffer.position());
      int limit = handshakeFrameBytes > 0 ? handshakeFrameBytes : maxFrameBytes;
      if (length < FrameKind.HEADER_BYTES || length > limit) {
        throw new ProtocolException("frame length " + length + " outside 6.." + limit
            + (handshakeFrameBytes > 0 ? " (before the handshake)" : ""));
      }
      int whole = FrameKind.LENGTH_BYTES + length;
      if (buffer.remaining() < whole && whole <= BUFFER_BYTES) {
        return false; // a small frame still arriving: wait for it in the buffer
      }
      boolean chunk = false;
      if (chunkBuffers != null && whole > BUFFER_BYTES && length <= chunkBuffers.capacity()) {
        if (buffer.remaining() == FrameKind.LENGTH_BYTES) {
          return false; // its kind has not arrived yet
        }
        chunk = buffer.get(buffer.position() + FrameKind.LENGTH_BYTES) == FrameKind.STREAM_DATA;
      }
      if (budget != null) {
        boolean small = whole <= BUFFER_BYTES;
        long provisional = small || penalty == null ? 0 : penalty.admitLarge(length);
        if (provisional < 0) {
          blocked = true; // refused frames came in: large ones wait, their senders' writes block
          blocker = null;
          return false;
        }
        // A frame that fits the read buffer needs only the connection's budget (see ByteBudget).
        ByteBudget refused = budget.acquireOrBlocker(length, small);
        if (refused != null) {
          if (provisional > 0) {
            penalty.refund(provisional);
          }
          blocked = true; // backpressure: nothing is allocated and nothing more is read
          blocker = refused;
          return false;
        }
        charged = length;
        penaltyCharged = provisional;
      }
      blocked = false;
      buffer.position(buffer.position() + FrameKind.LENGTH_BYTES);
      if (chunk) {
        direct = chunkBuffers.take(length);
        return fillDirect(handler);
      }
      body = new byte[length];
      bodyFilled = 0;
    }
    int take = Math.min(buffer.remaining(), body.length - bodyFilled);
    buffer.get(body, bodyFilled, take);
    bodyFilled += take;
    if (bodyFilled < body.length) {
      return false; // a large frame: the rest is read straight into body
    }
    byte[] frame = body;
    body = null;
    try {
      dispatch(frame, handler);
    } finally {
      if (charged != 0) {
        budget.release(charged);
        charged = 0;
      }
      refundPenaltyCharge(); // nobody took it: the frame was not refused for its size
    }
    return true;
  }

  /**
   * Moves what is buffered of the STREAM_DATA frame being assembled in {@link #direct} there, and
   * dispatches it once complete.
   */
  private boolean fillDirect(FrameHandler handler) throws ProtocolException {
    int take = Math.min(buffer.remaining(), direct.remaining());
    if (take > 0) {
      direct.put(buffer.slice(buffer.position(), take));
      buffer.position(buffer.position() + take);
    }
    if (direct.hasRemaining()) {
      return false; // the rest is read straight into it
    }
    ByteBuffer frame = direct.flip();
    direct = null;
    peekNext = true; // another chunk is likely next: its start only, then the rest straight in
    try {
      dispatchChunk(frame, handler);
    } finally {
      if (charged != 0) {
        budget.release(charged);
        charged = 0;
      }
      refundPenaltyCharge();
    }
    return true;
  }

  /** Dispatches a STREAM_DATA frame read into a direct buffer (its header decoded from there). */
  private void dispatchChunk(ByteBuffer frame, FrameHandler h) throws ProtocolException {
    int flags = frame.get(1) & 0xff;
    int callId = frame.getInt(2);
    byte[] head = new byte[Math.min(frame.limit(), FrameKind.HEADER_BYTES + 5)];
    frame.get(0, head);
    ByteReader r = new ByteReader(head, FrameKind.HEADER_BYTES,
        head.length - FrameKind.HEADER_BYTES);
    int slot;
    try {
      slot = r.readVarInt();
    } catch (DecodeException e) {
      throw new ProtocolException("malformed STREAM_DATA frame: " + e.getMessage(), e);
    }
    frame.position(r.position());
    h.streamData(callId, slot, (flags & FrameKind.FLAG_STREAM_END) != 0, frame, chunkBuffers);
  }

  /**
   * One non-blocking read, into the large frame being assembled or into the buffer. Right after a
   * chunk read into a direct buffer, with nothing else buffered, it reads only the next frame's
   * length and kind: when that is another chunk, all of it then goes straight into its direct
   * buffer, where a full read would have put up to 64 KiB of it in the read buffer, to be copied
   * over (half of every chunk copied once more). The extra read costs a system call only when the
   * next frame is not a chunk: a chunk otherwise takes two reads (the buffer's, then the rest)
   * either way.
   */
  private int readSome() throws IOException {
    peeked = false;
    if (direct != null && !buffer.hasRemaining()) {
      return link.tryRead(direct);
    }
    if (body != null && !buffer.hasRemaining()) {
      int n = link.tryRead(ByteBuffer.wrap(body, bodyFilled, body.length - bodyFilled));
      if (n > 0) {
        bodyFilled += n;
      }
      return n;
    }
    if (buffer.capacity() < BUFFER_BYTES) { // released or shrunk: a read buffer again
      ByteBuffer b = ByteBuffer.allocateDirect(BUFFER_BYTES);
      buffer = b.put(buffer).flip();
    }
    buffer.compact();
    boolean peek = peekNext && buffer.position() == 0;
    if (peek) {
      buffer.limit(FrameKind.LENGTH_BYTES + 1);
    }
    int n;
    try {
      n = link.tryRead(buffer);
    } finally {
      buffer.flip(); // the limit is the end of what was read, peeking or not
    }
    if (n > 0) {
      peekNext = false;
      peeked = peek;
    }
    return n;
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
          h.hello(r.readVarInt(), r.readVarInt(), r.readString(), flags);
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
        case FrameKind.ERROR -> h.error(callId, ErrorPayload.read(r,
            (flags & FrameKind.FLAG_REFUSED) != 0));
        case FrameKind.CANCEL ->
            h.cancel(callId, (flags & FrameKind.FLAG_CALLER_RELEASED) != 0,
                (flags & FrameKind.FLAG_CANCEL_DEADLINE) != 0, r.readVarLong());
        case FrameKind.CANCEL_ACK -> h.cancelAck(callId, ErrorPayload.readNullable(r),
            (flags & FrameKind.FLAG_ACK_DEADLINE) != 0);
        case FrameKind.PING -> h.ping(r.readLong());
        case FrameKind.PONG -> h.pong(r.readLong());
        case FrameKind.GOAWAY ->
            h.goAway(ErrorCode.fromWire(r.readVarInt()), ErrorPayload.readNullable(r));
        case FrameKind.AUTH -> {
          String keyId = flags == FrameKind.AUTH_CLIENT_NONCE ? r.readString() : null;
          int n = r.readCount();
          if (n > SecretProof.MAX_VALUE_BYTES) {
            throw new ProtocolException("AUTH value of " + n + " bytes");
          }
          h.auth(flags, keyId, r.readBytes(n));
        }
        case FrameKind.STREAM_DATA -> h.streamData(callId, r.readVarInt(),
            (flags & FrameKind.FLAG_STREAM_END) != 0, body, r.position());
        case FrameKind.STREAM_CREDIT -> {
          int slot = r.readVarInt();
          int bytes = r.readVarInt();
          if (bytes <= 0) {
            throw new ProtocolException("STREAM_CREDIT of " + bytes + " bytes");
          }
          h.streamCredit(callId, slot, bytes);
        }
        case FrameKind.STREAM_RESET -> h.streamReset(callId, r.readVarInt(), ErrorPayload.read(r));
        default -> throw new ProtocolException("unknown frame kind " + kind);
      }
    } catch (DecodeException e) {
      throw new ProtocolException("malformed " + FrameKind.name(kind) + " frame: " + e.getMessage(), e);
    }
  }
}
