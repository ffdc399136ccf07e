package dev.tether.internal.stream;

import dev.tether.ErrorCode;
import dev.tether.internal.cancel.CallContext;
import dev.tether.internal.cancel.CancelNode;
import dev.tether.internal.cancel.CancelReason;
import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.wire.Frames;
import dev.tether.internal.wire.StreamFrames;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The sending end of a byte stream: a pump thread of its own reads the user's
 * {@link InputStream} and sends what it read as STREAM_DATA frames, never more than the receiver's
 * credit, then a last empty chunk at the end of the source. It checks before every chunk whether
 * it must stop (the receiver's reset, the call's end or cancel, the connection's failure), so a
 * transfer stops within one chunk; a stop while the pump waits for credit wakes it, and a stop
 * while it is blocked reading the source interrupts it. The source is closed when the pump ends,
 * however it ends. A source that throws resets the stream with the exception, which the reader
 * meets where the data stops.
 *
 * <p>Small frames first: when calls, answers or control frames are sent on the connection beside
 * the stream, the pump leaves them room for the next {@link StreamLimits#YIELD_CHUNKS} chunks: it
 * waits for the socket to drain before each chunk, without holding the connection's writer, so
 * an answer never waits behind a chunk blocked in a full socket and finds less data ahead of it
 * in the kernel. A stream alone keeps the socket full (its best throughput).
 *
 * <p>The pump is a platform thread (like a call thread: the source is user code and may spin).
 * On the server it runs in a cancel node of its own, so a source that produces data as it is read
 * sees {@code Cancellation.isCancelled()} when the receiver gives up. Thread-safe: one lock guards
 * the credit and the stop; frames are written outside it.
 */
public final class OutboundStream {
  private final StreamTable table;
  final int callId;
  final int slot;
  private final String what;
  private final InputStream source;
  private final BooleanSupplier callCancelled; // checked before each chunk
  private final CancelNode node; // entered by the pump; null: none
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition creditArrived = lock.newCondition();
  // guarded by lock
  private int credit;
  private String stopped; // why, once stopped
  private Thread pump;
  private boolean reading; // the pump is inside source.read
  private boolean started;

  OutboundStream(StreamTable table, int callId, int slot, String what, InputStream source,
      BooleanSupplier callCancelled, CancelNode node) {
    this.table = table;
    this.callId = callId;
    this.slot = slot;
    this.what = what;
    this.source = source;
    this.callCancelled = callCancelled;
    this.node = node;
  }

  /** Starts the pump thread. It sends nothing before the receiver's first credit. */
  public void start() {
    Thread t = Thread.ofPlatform().daemon().name("tether-stream " + what).unstarted(this::pump);
    lock.lock();
    try {
      if (stopped != null) {
        closeSource();
        return;
      }
      started = true;
      pump = t;
    } finally {
      lock.unlock();
    }
    t.start();
  }

  /** The receiver granted {@code bytes} more (reader thread). */
  void onCredit(int bytes) {
    lock.lock();
    try {
      credit = (int) Math.min(Integer.MAX_VALUE, (long) credit + bytes);
      creditArrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops the transfer before the next chunk (any thread; never blocks). {@code tellPeer}: reset
   * the stream so the receiver stops waiting. Idempotent.
   */
  void stop(String why, boolean tellPeer) {
    Thread interrupt = null;
    boolean neverStarted;
    lock.lock();
    try {
      if (stopped != null) {
        return;
      }
      stopped = why;
      neverStarted = !started;
      if (reading) {
        interrupt = pump; // blocked in the user's source: wake it
      }
      creditArrived.signalAll();
    } finally {
      lock.unlock();
    }
    if (node != null) {
      node.cancel(CancelReason.of(why, 0));
    }
    if (interrupt != null) {
      interrupt.interrupt();
    }
    if (tellPeer) {
      table.resetSoon(callId, slot, ErrorCode.CANCELLED, why);
    }
    if (neverStarted) {
      finished();
    }
  }

  private void pump() {
    CancelNode previous = node == null ? null : CallContext.enter(node);
    int chunk = table.chunkBytes();
    ByteWriter w = new ByteWriter(chunk + StreamFrames.DATA_OVERHEAD);
    int smallSeen = 0;
    boolean first = true;
    int yielding = 0; // chunks left to send leaving room for small frames
    try {
      while (true) {
        int n = awaitCredit(chunk);
        if (n <= 0) {
          return; // stopped; whoever stopped it told the receiver
        }
        if (first) { // from here: the call or answer that opened the stream went before
          first = false;
          smallSeen = table.smallFramesBesideData();
        }
        if (callCancelled.getAsBoolean()) {
          stop("the call was cancelled", true);
          return;
        }
        StreamFrames.beginData(w, callId, slot, false);
        int at = w.size();
        w.reserve(n);
        int got;
        try {
          got = readSource(w.array(), at, n);
        } catch (Throwable t) {
          if (isStopped()) {
            return;
          }
          stop("the source of " + what + " failed", false);
          table.reset(callId, slot, ErrorCode.REMOTE_EXCEPTION, what + " failed: " + t, t);
          return;
        }
        if (got < 0) {
          StreamFrames.beginData(w, callId, slot, true);
        } else {
          w.truncate(at + got);
        }
        Frames.end(w, Integer.MAX_VALUE);
        if (!take(Math.max(got, 0))) {
          return;
        }
        int small = table.smallFramesBesideData();
        if (small != smallSeen) {
          smallSeen = small;
          yielding = StreamLimits.YIELD_CHUNKS;
        }
        BooleanSupplier yieldUnless = null;
        if (yielding > 0) {
          yielding--;
          yieldUnless = this::isStopped;
        }
        if (!table.writeData(w, yieldUnless) || got < 0) {
          return;
        }
      }
    } finally {
      if (node != null) {
        CallContext.restore(previous);
      }
      closeSource();
      Thread.interrupted(); // an interrupt meant for a blocked read is spent
      finished();
    }
  }

  /** Waits for credit; returns how much to send now (at most {@code chunk}), or 0 once stopped. */
  private int awaitCredit(int chunk) {
    lock.lock();
    try {
      while (stopped == null && credit <= 0) {
        creditArrived.awaitUninterruptibly(); // stop() signals; interrupts are for reads only
      }
      return stopped != null ? 0 : Math.min(credit, chunk);
    } finally {
      lock.unlock();
    }
  }

  private int readSource(byte[] b, int off, int len) throws IOException {
    lock.lock();
    try {
      reading = true;
    } finally {
      lock.unlock();
    }
    try {
      int got = source.read(b, off, len);
      while (got == 0) { // a source that returns nothing without ending: try again
        got = source.read(b, off, len);
      }
      return got;
    } finally {
      lock.lock();
      try {
        reading = false;
      } finally {
        lock.unlock();
      }
    }
  }

  /** Uses {@code n} bytes of credit; false when stopped meanwhile (the chunk is not sent). */
  private boolean take(int n) {
    lock.lock();
    try {
      if (stopped != null) {
        return false;
      }
      credit -= n;
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void finished() {
    table.removed(this, callId, slot);
    table.ended(callId, slot);
  }

  private boolean isStopped() {
    lock.lock();
    try {
      return stopped != null;
    } finally {
      lock.unlock();
    }
  }

  private void closeSource() {
    try {
      source.close();
    } catch (Throwable ignored) {
      // the stream is over either way
    }
  }

  @Override
  public String toString() {
    return what;
  }
}
