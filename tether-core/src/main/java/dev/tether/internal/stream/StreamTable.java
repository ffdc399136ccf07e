package dev.tether.internal.stream;

import dev.tether.CallCancelledException;
import dev.tether.ErrorCode;
import dev.tether.TetherException;
import dev.tether.internal.cancel.CancelNode;
import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.time.Clock;
import dev.tether.internal.wire.ChunkBuffers;
import dev.tether.internal.wire.FrameWriter;
import dev.tether.internal.wire.ProtocolException;
import dev.tether.internal.wire.RemoteError;
import dev.tether.internal.wire.StreamFrames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * One connection's byte streams, both ways, keyed by call id and slot (0: a call's result, i + 1:
 * its parameter i). Routes STREAM_DATA, STREAM_CREDIT and STREAM_RESET to their stream; a frame
 * for a stream it does not know (one abandoned a moment ago) is dropped. The rule that ties the
 * streams of one call together: when its result stream (slot 0) ends, however it ends, the call's
 * other streams end too; until then parameter streams stay open, so a method may return a stream
 * that reads its parameter.
 *
 * <p>Thread-safe. The connection's hooks cost a volatile read when no stream is open
 * ({@link #isEmpty}). Frames go out through the connection's {@link FrameWriter}; a failed write
 * breaks the connection through {@code broken}.
 */
public final class StreamTable {
  /** The slot of a call's result stream; its argument streams are numbered from 1. */
  public static final int RESULT_SLOT = 0;

  private final FrameWriter writer;
  private final Consumer<IOException> broken;
  private final IntSupplier peerMaxFrameBytes;
  private final int windowBytes;
  private final int maxWindowBytes;
  private final long spinNanos;
  /** The longest chunk frame's body a peer sends (see StreamLimits#chunkBytes), header included. */
  private final ChunkBuffers chunkBuffers =
      new ChunkBuffers(StreamLimits.CHUNK_BYTES + StreamLimits.DATA_FRAME_OVERHEAD);
  private final ConcurrentHashMap<Long, Object> streams = new ConcurrentHashMap<>();
  private volatile int open;
  private volatile int inbound;
  private volatile Supplier<? extends TetherException> failure;
  /** Told after a stream left the table (see {@link #onRemoved}); null: nobody. */
  private volatile Runnable removedHook;
  /** Lets inbound streams' readers read the connection themselves (see {@link #readBy}). */
  private volatile ReadAssist readAssist;

  /**
   * A table writing through {@code writer}; {@code broken} hears of failed writes;
   * {@code peerMaxFrameBytes} bounds a reset's exception chain and a data frame's size;
   * {@code windowBytes} is the credit each inbound stream grants first (see
   * {@link StreamLimits#checkWindow}); over a {@code network} link the default window may grow
   * ({@link StreamLimits#maxWindow}); a reader with nothing to read polls for {@code spinNanos}
   * before it parks (the connection's idle strategy).
   */
  public StreamTable(FrameWriter writer, Consumer<IOException> broken,
      IntSupplier peerMaxFrameBytes, int windowBytes, boolean network, long spinNanos) {
    this.writer = writer;
    this.broken = broken;
    this.peerMaxFrameBytes = peerMaxFrameBytes;
    this.windowBytes = StreamLimits.checkWindow(windowBytes);
    this.maxWindowBytes = StreamLimits.maxWindow(this.windowBytes, network);
    this.spinNanos = spinNanos;
  }

  /** How long a reader with nothing to read polls before it parks. */
  long spinNanos() {
    return spinNanos;
  }

  /** A table as above on a link that is not a network one (a fixed window). */
  public StreamTable(FrameWriter writer, Consumer<IOException> broken,
      IntSupplier peerMaxFrameBytes, int windowBytes, long spinNanos) {
    this(writer, broken, peerMaxFrameBytes, windowBytes, false, spinNanos);
  }

  /** The credit each inbound stream grants first. */
  int windowBytes() {
    return windowBytes;
  }

  /** The most each inbound stream's window grows to (see {@link InboundStream}). */
  int maxWindowBytes() {
    return maxWindowBytes;
  }

  /** Most data bytes of one STREAM_DATA frame to this peer. */
  int chunkBytes() {
    return StreamLimits.chunkBytes(peerMaxFrameBytes.getAsInt());
  }

  private static long key(int callId, int slot) {
    return ((long) callId << 32) | (slot & 0xffffffffL);
  }

  /**
   * Streams this side still sends: a server's result streams flowing after their call answered,
   * which a graceful shutdown waits for like answers.
   */
  public int outboundOpen() {
    synchronized (this) {
      return open - inbound;
    }
  }

  /**
   * Runs {@code hook} after each stream leaves the table, on the thread that removed it (a reader,
   * a pump or a caller): it must be short and must not wait.
   */
  public void onRemoved(Runnable hook) {
    this.removedHook = hook;
  }

  /**
   * From now on, a reader of an inbound stream that finds nothing to read reads the connection
   * itself through {@code assist} (null: waits for the connection's reader to hand chunks over).
   */
  public void readBy(ReadAssist assist) {
    this.readAssist = assist;
  }

  /** See {@link #readBy}; null when chunks are handed over. */
  ReadAssist readAssist() {
    return readAssist;
  }

  /** True when no stream is open: what the connection's hooks check first. */
  public boolean isEmpty() {
    return open == 0;
  }

  /**
   * Opens the receiving end of stream {@code slot} of call {@code callId} and grants it its
   * window. {@code node} (null: none) is the call or scope whose cancellation stops it.
   *
   * @throws TetherException RESOURCE_EXHAUSTED when the connection already receives
   *     {@link StreamLimits#MAX_INBOUND_STREAMS} streams; the connection's failure if it failed
   */
  public InboundStream openInbound(int callId, int slot, String what, CancelNode node,
      CallCancelledException.Outcome cancelOutcome) {
    InboundStream s = new InboundStream(this, callId, slot, what, cancelOutcome);
    synchronized (this) {
      if (inbound >= StreamLimits.MAX_INBOUND_STREAMS) {
        resetSoon(callId, slot, ErrorCode.RESOURCE_EXHAUSTED, "too many streams");
        throw new TetherException(ErrorCode.RESOURCE_EXHAUSTED, what + " cannot be received: "
            + "this connection already receives " + StreamLimits.MAX_INBOUND_STREAMS
            + " streams, the most it takes at once");
      }
      add(key(callId, slot), s);
      inbound++;
    }
    Supplier<? extends TetherException> f = failure;
    if (f != null) {
      s.fail(f.get(), false);
      throw f.get();
    }
    if (node != null) {
      s.watch(node);
    }
    credit(callId, slot, windowBytes);
    return s;
  }

  /**
   * Registers the sending end of stream {@code slot} of call {@code callId} (not started: see
   * {@link OutboundStream#start}). {@code callCancelled} is checked before each chunk;
   * {@code node} (null: none) is entered by the pump and cancelled when the stream stops.
   */
  public OutboundStream openOutbound(int callId, int slot, String what, InputStream source,
      BooleanSupplier callCancelled, CancelNode node) {
    OutboundStream s = new OutboundStream(this, callId, slot, what, source, callCancelled, node);
    synchronized (this) {
      add(key(callId, slot), s);
    }
    Supplier<? extends TetherException> f = failure;
    if (f != null) {
      s.stop(f.get().getMessage(), false);
    }
    return s;
  }

  private void add(long key, Object s) {
    if (streams.putIfAbsent(key, s) != null) {
      throw new IllegalStateException("stream " + key + " is open already");
    }
    open++;
  }

  /** STREAM_DATA (reader thread). */
  public void onData(int callId, int slot, boolean end, byte[] body, int offset)
      throws ProtocolException {
    onData(callId, slot, end, ByteBuffer.wrap(body, offset, body.length - offset));
  }

  /**
   * STREAM_DATA (reader thread), from {@code data}'s position to its limit; a buffer of
   * {@link #chunkBuffers()} goes back there once read, or at once when no stream takes it.
   */
  public void onData(int callId, int slot, boolean end, ByteBuffer data)
      throws ProtocolException {
    if (streams.get(key(callId, slot)) instanceof InboundStream s) {
      s.onData(data, end);
    } else {
      recycle(data);
    }
  }

  /**
   * The direct buffers the connection's reader reads large chunks into (see
   * {@link dev.tether.internal.wire.FrameReader#readChunksInto}), given back here once read.
   */
  public ChunkBuffers chunkBuffers() {
    return chunkBuffers;
  }

  /**
   * A chunk's buffer is no longer used: kept for reuse if it is one of {@link #chunkBuffers()}
   * and a stream still comes in (else left to the garbage collector, like the chunks a reader
   * consumes after its stream left the table).
   */
  void recycle(ByteBuffer data) {
    if (inbound > 0) {
      chunkBuffers.give(data);
    }
  }

  /** STREAM_CREDIT (reader thread). */
  public void onCredit(int callId, int slot, int bytes) {
    if (streams.get(key(callId, slot)) instanceof OutboundStream s) {
      s.onCredit(bytes);
    }
  }

  /**
   * STREAM_RESET (reader thread): an inbound stream fails where its data stops (or, abandoned
   * here, is forgotten); an outbound one stops and answers with a reset, which tells the receiver
   * that nothing more comes.
   */
  public void onReset(int callId, int slot, RemoteError error) {
    Object s = streams.get(key(callId, slot));
    if (s instanceof InboundStream in) {
      in.onReset(error);
    } else if (s instanceof OutboundStream out) {
      out.stop("the receiver stopped it: " + error.message(), true); // the reset answers it
    }
  }

  /**
   * The call {@code callId} is over for its streams (it ended without a result stream, or its
   * result stream ended): every stream of it still open ends; the peer is told to stop.
   */
  public void callEnded(int callId, String why) {
    if (open == 0) {
      return;
    }
    for (Object s : streamsOf(callId)) {
      end(s, why);
    }
  }

  /** The connection failed: every stream fails at once with an exception from {@code failure}. */
  public void failAll(Supplier<? extends TetherException> failure) {
    this.failure = failure;
    for (Object s : new ArrayList<>(streams.values())) {
      if (s instanceof InboundStream in) {
        in.fail(failure.get(), false);
      } else if (s instanceof OutboundStream out) {
        out.stop(failure.get().getMessage(), false);
      }
    }
  }

  private void end(Object s, String why) {
    if (s instanceof InboundStream in) {
      in.fail(new TetherException(ErrorCode.CANCELLED, in + " ended: " + why), true);
    } else if (s instanceof OutboundStream out) {
      out.stop(why, true);
    }
  }

  private List<Object> streamsOf(int callId) {
    List<Object> found = new ArrayList<>(2);
    for (var e : streams.entrySet()) {
      if ((int) (e.getKey() >>> 32) == callId) {
        found.add(e.getValue());
      }
    }
    return found;
  }

  /** A stream ended (once), however: a result stream takes its call's other streams with it. */
  void ended(int callId, int slot) {
    if (slot == RESULT_SLOT) {
      callEnded(callId, "its result stream ended");
    }
  }

  /** A stream leaves the table: no frame for it will come any more. Idempotent. */
  void removed(Object stream, int callId, int slot) {
    boolean gone;
    boolean noneInbound = false;
    synchronized (this) {
      gone = streams.remove(key(callId, slot), stream);
      if (gone) {
        open--;
        if (stream instanceof InboundStream) {
          noneInbound = --inbound == 0;
        }
      }
    }
    if (noneInbound) {
      chunkBuffers.clear(); // a connection with nothing coming in keeps no chunk buffers
    }
    Runnable hook = removedHook;
    if (gone && hook != null) {
      hook.run();
    }
  }

  /**
   * Sends a STREAM_CREDIT now (a reading thread). A failed write is not the connection's failure:
   * the peer stopped reading, so it sends nothing beyond what has arrived, and what has arrived
   * must still be read (a server closes right after a result stream's last bytes when it drains).
   * The connection's reader finds out what became of the connection after that data.
   */
  void credit(int callId, int slot, int bytes) {
    if (failure == null) {
      try {
        writer.write(w -> StreamFrames.credit(w, callId, slot, bytes));
      } catch (IOException peerStoppedReading) {
        // see above: the reader reports the end, after the bytes that came before it
      }
    }
  }

  /** Sends a STREAM_RESET now, with the exception chain of {@code thrown} (may be null). */
  void reset(int callId, int slot, ErrorCode code, String message, Throwable thrown) {
    if (failure == null) {
      send(w -> StreamFrames.reset(w, callId, slot, code, message, thrown,
          peerMaxFrameBytes.getAsInt()));
    }
  }

  /** Queues a STREAM_RESET without blocking: for cancel listeners and readers. */
  public void resetSoon(int callId, int slot, ErrorCode code, String message) {
    if (failure == null) {
      writer.writeSoon(w -> StreamFrames.reset(w, callId, slot, code, message, null,
          peerMaxFrameBytes.getAsInt()));
    }
  }

  /**
   * Writes a finished STREAM_DATA frame as bulk data (behind any call or control frame queued
   * meanwhile: see {@link FrameWriter#writeBulk}); false (and the connection is broken) when the
   * write failed. With {@code stopped} (null: write at once), first waits without holding the
   * writer until the link has room (see {@link #awaitRoom}); returns false without writing if
   * {@code stopped} turns true meanwhile.
   */
  boolean writeData(ByteWriter frame, BooleanSupplier stopped) {
    try {
      if (stopped != null && (!awaitRoom(stopped) || stopped.getAsBoolean())) {
        return false;
      }
      writer.writeBulk(frame);
      return true;
    } catch (IOException e) {
      broken.accept(e);
      return false;
    }
  }

  /**
   * Waits until the link has room (see {@link FrameWriter#awaitRoom}): polls for the connection's
   * spin, yielding the core (the socket usually drains within microseconds while the peer reads,
   * and a pump's wake-up costs more than that, during which the peer's reader runs dry), then
   * waits in steps of {@link StreamLimits#ROOM_CHECK_NANOS}, checking {@code stopped} between
   * them, at most {@link StreamLimits#ROOM_WAIT_NANOS} in all: then the chunk is written anyway
   * and the link's stall limit applies, as to any write. False when stopped meanwhile.
   */
  private boolean awaitRoom(BooleanSupplier stopped) throws IOException {
    if (writer.awaitRoom(0)) {
      return true;
    }
    long spinEnd = Clock.system().nanoTime() + spinNanos;
    while (Clock.system().nanoTime() - spinEnd < 0) {
      Thread.yield();
      if (writer.awaitRoom(0)) {
        return true;
      }
    }
    for (long waited = 0; waited < StreamLimits.ROOM_WAIT_NANOS;
        waited += StreamLimits.ROOM_CHECK_NANOS) {
      if (stopped.getAsBoolean()) {
        return false;
      }
      if (writer.awaitRoom(StreamLimits.ROOM_CHECK_NANOS)) {
        return true;
      }
    }
    return true;
  }

  /**
   * Changes whenever a call, an answer or a control frame is sent on this connection beside its
   * streams' data (see {@link FrameWriter#smallFramesBesideBulk}).
   */
  int smallFramesBesideData() {
    return writer.smallFramesBesideBulk();
  }

  private void send(Consumer<ByteWriter> build) {
    try {
      writer.write(build);
    } catch (IOException e) {
      broken.accept(e);
    }
  }

  /** Bytes queued in the inbound stream {@code slot} of {@code callId}, or -1: for tests. */
  public int bufferedBytes(int callId, int slot) {
    return streams.get(key(callId, slot)) instanceof InboundStream s ? s.bufferedBytes() : -1;
  }
}
