package dev.tether.internal.stream;

import dev.tether.CallCancelledException;
import dev.tether.CallCanceller;
import dev.tether.CancelResult;
import dev.tether.ErrorCode;
import dev.tether.TetherException;
import dev.tether.internal.cancel.CancelNode;
import dev.tether.internal.cancel.CancelReason;
import dev.tether.internal.cancel.ThreadCancelState;
import dev.tether.internal.time.Clock;
import dev.tether.internal.wire.ProtocolException;
import dev.tether.internal.wire.RemoteError;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The receiving end of a byte stream, as the user reads it: chunks the connection's reader hands
 * over ({@link #onData}) wait in a queue that the credit bounds to the stream's window; reading
 * gives credit back in steps of a quarter of it. The window starts at the table's and, where
 * the table allows more (TCP, see {@link StreamLimits#maxWindow}), doubles up to that each time
 * the reader has drained the queue after reading a whole window since it last grew (a reader
 * that keeps up, so the sender waits for credit); a slow reader finds data queued and keeps the
 * window it has.
 *
 * <p>How it ends: the sender's last chunk (reads then return -1); the sender's reset, which the
 * reader meets as an exception right after the bytes that came before it (never as a silent end);
 * or at once, discarding what is queued, when the call or scope it belongs to is cancelled, the
 * connection fails, or the owner closes it (which tells the sender to stop). Reads fail with a
 * {@link TetherException}: a {@link CallCancelledException} when the call was cancelled.
 *
 * <p>Thread-safe: one lock guards the queue and state; frames are written outside it. The
 * reader's wait ends on data, end, reset, cancel, connection failure or interrupt (which cancels).
 * While it waits on a thread with cancellation enabled, a result stream is that thread's cancel
 * object, so {@code Cancellation.cancel(thread, grace)} reaches it like a pending call.
 */
public final class InboundStream extends InputStream implements CancelNode.Listener {
  private final StreamTable table;
  final int callId;
  final int slot;
  private final String what;
  private final CallCancelledException.Outcome cancelOutcome;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  // guarded by lock
  private final ArrayDeque<ByteBuffer> chunks = new ArrayDeque<>(); // each from its position
  private ByteBuffer current;
  private final int maxWindow;
  private int window; // the credit granted so far and not yet read; grows to maxWindow
  private int regrantBytes;
  private int granted; // credit the sender may still use
  private int readSinceGrant;
  private long readSinceGrowth;
  private boolean ended; // the last chunk arrived
  private RemoteError reset; // the sender's reset, met after the queued bytes
  private TetherException failure; // met at once
  private boolean done; // ended (see ended())
  private boolean awaitingSender; // we reset it; the sender's reset or last chunk has not come
  private volatile CancelNode.Removal scope;
  /** Bumped on every change a reader may wait for: read without the lock by a spinning reader. */
  private volatile int changes;
  private final long spinNanos;
  /** Set by the reading thread the first time it waits with cancellation enabled. */
  private ReaderCanceller readerCanceller;

  InboundStream(StreamTable table, int callId, int slot, String what,
      CallCancelledException.Outcome cancelOutcome) {
    this.table = table;
    this.callId = callId;
    this.slot = slot;
    this.what = what;
    this.cancelOutcome = cancelOutcome;
    this.maxWindow = table.maxWindowBytes();
    this.window = table.windowBytes();
    this.granted = window;
    this.regrantBytes = StreamLimits.regrantBytes(window);
    this.spinNanos = table.spinNanos();
  }

  /** Ties the stream to {@code node}: its cancellation (or deadline) stops the stream. */
  void watch(CancelNode node) {
    scope = node.addListener(this);
  }

  /**
   * A chunk arrived (reader thread), from {@code data}'s position to its limit; a direct buffer
   * goes back to the table's {@link dev.tether.internal.wire.ChunkBuffers} once read or dropped.
   * The sender may not exceed its credit.
   */
  void onData(ByteBuffer data, boolean end) throws ProtocolException {
    int n = data.remaining();
    boolean abandoned;
    boolean queued = false;
    lock.lock();
    try {
      if (ended || reset != null) {
        throw new ProtocolException("STREAM_DATA after the end of " + what);
      }
      if (n > granted) {
        throw new ProtocolException(n + " bytes of " + what + " beyond the " + granted
            + " bytes of credit granted");
      }
      granted -= n;
      abandoned = failure != null; // then discarded, until the sender's last frame
      if (end) {
        awaitingSender = false;
      }
      if (!abandoned) {
        if (n > 0) {
          chunks.add(data);
          queued = true;
        }
        ended = end;
        changes++;
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
    if (!queued) {
      table.recycle(data);
    }
    if (end) {
      ended(); // the reader still has the bytes
      removed(); // nothing more comes
    }
  }

  /** The sender reset the stream (reader thread): the reader meets it after the queued bytes. */
  void onReset(RemoteError e) {
    lock.lock();
    try {
      if (reset == null && !ended) {
        reset = e;
      }
      awaitingSender = false;
      changes++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    ended();
    removed(); // the sender's last frame
  }

  /** The call or scope was cancelled (any thread; never blocks). */
  @Override
  public void cancelled(CancelReason reason) {
    fail(StreamErrors.cancelled(reason, cancelOutcome, what), true);
  }

  /** Fails the stream at once; {@code tellPeer}: ask the sender to stop. Never blocks. */
  boolean fail(TetherException e, boolean tellPeer) {
    boolean first;
    lock.lock();
    try {
      first = failure == null && !ended && reset == null;
      if (first) {
        failure = e;
        awaitingSender = tellPeer;
        discardBuffered();
      }
      changes++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    wakeReader();
    ended();
    if (first && tellPeer) {
      // The sender answers with a reset of its own; until then its frames in flight are
      // discarded here, and the stream stays in the table so the connection is still read.
      table.resetSoon(callId, slot, e.code() == ErrorCode.DEADLINE_EXCEEDED
          ? ErrorCode.DEADLINE_EXCEEDED : ErrorCode.CANCELLED, e.getMessage());
    } else if (!tellPeer) {
      removed();
    }
    return first;
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    int n;
    int grant = 0;
    boolean spun = false;
    boolean looked = false;
    ThreadCancelState pushedOn = null;
    lock.lock();
    try {
      while (true) {
        if (failure != null) {
          throw failure;
        }
        if (current == null && !chunks.isEmpty()) {
          current = chunks.poll();
        }
        if (current != null) {
          break;
        }
        if (ended) {
          return -1;
        }
        if (reset != null) {
          throw StreamErrors.fromPeer(reset, what);
        }
        if (!looked) { // about to wait: reachable by Cancellation.cancel(thread) meanwhile
          looked = true;
          pushedOn = pushReaderCanceller();
        }
        ReadAssist assist = table.readAssist();
        if (assist != null) {
          readOrWait(assist);
          continue;
        }
        if (!spun && spinNanos > 0) {
          spun = true;
          int seen = changes;
          lock.unlock();
          try {
            spinWhile(seen);
          } finally {
            lock.lock();
          }
          continue;
        }
        try {
          changed.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          failInterrupted();
        }
      }
      n = Math.min(len, current.remaining());
      current.get(b, off, n);
      if (!current.hasRemaining()) {
        table.recycle(current);
        current = null;
      }
      readSinceGrant += n;
      readSinceGrowth += n;
      if (!ended && reset == null) {
        if (readSinceGrant >= regrantBytes) {
          grant = readSinceGrant;
          readSinceGrant = 0;
        }
        if (current == null && chunks.isEmpty() && readSinceGrowth >= window
            && window < maxWindow) { // the reader keeps up: the sender waits for credit
          int grown = StreamLimits.grownWindow(window, maxWindow);
          grant += grown - window;
          window = grown;
          regrantBytes = StreamLimits.regrantBytes(window);
          readSinceGrowth = 0;
        }
        granted += grant;
      }
    } finally {
      lock.unlock();
      if (pushedOn != null) {
        pushedOn.pop(readerCanceller);
      }
    }
    if (grant > 0) {
      table.credit(callId, slot, grant);
    }
    return n;
  }

  /**
   * A result stream's reader about to wait, on a thread with cancellation enabled: pushes this
   * stream's {@link ReaderCanceller} as the thread's cancel object, so that
   * {@link dev.tether.Cancellation#cancel(Thread, Duration)} releases it as it would release a
   * pending call. Returns the state to pop it from, or null (an argument stream, read on the
   * server, is cancelled by its call instead).
   */
  private ThreadCancelState pushReaderCanceller() {
    if (slot != StreamTable.RESULT_SLOT) {
      return null;
    }
    ThreadCancelState state = ThreadCancelState.currentIfEnabled();
    if (state != null) {
      if (readerCanceller == null) {
        readerCanceller = new ReaderCanceller();
      }
      state.push(readerCanceller);
    }
    return state;
  }

  /**
   * This result stream as the cancel object of the thread waiting to read it: a cancel stops the
   * transfer in both directions, as a cancel of the call's scope does, and releases the reader at
   * once with a {@link CallCancelledException} ({@link CancelResult#FORCED}: the call has already
   * answered, so there is no answer to wait for, and the grace is not used).
   */
  private final class ReaderCanceller implements CallCanceller {
    private volatile boolean requested;

    @Override
    public CancelResult cancel(Duration grace) {
      requested = true;
      return fail(StreamErrors.cancelled(null, cancelOutcome, what), true) ? CancelResult.FORCED
          : CancelResult.ALREADY_COMPLETE;
    }

    @Override
    public boolean isCancelled() {
      return requested;
    }
  }

  /**
   * Nothing to read: reads the connection for this stream through {@code assist}, or, when another
   * thread reads it, waits (polling briefly first) until this stream changes. Under {@link #lock},
   * which it releases while it reads or polls. An interrupt fails the stream, as in a wait.
   */
  private void readOrWait(ReadAssist assist) {
    int seen = changes;
    int how;
    lock.unlock();
    try {
      how = assist.readFor(this, seen);
    } finally {
      lock.lock();
    }
    if (how == ReadAssist.WAIT) {
      try {
        if (changes == seen && spinNanos > 0) {
          lock.unlock();
          try {
            spinWhile(seen);
          } finally {
            lock.lock();
          }
        }
        while (changes == seen) {
          changed.await();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        assist.stopWaiting(this);
      }
    }
    if (Thread.currentThread().isInterrupted() && failure == null) {
      failInterrupted();
    }
  }

  /**
   * True when nothing more will be read from the stream: its last chunk or the sender's reset
   * arrived, or it failed or was closed.
   */
  public boolean isOver() {
    lock.lock();
    try {
      return ended || reset != null || failure != null;
    } finally {
      lock.unlock();
    }
  }

  /** True when something a reader waits for happened since {@code seen} ({@link #changes}). */
  public boolean changedSince(int seen) {
    return changes != seen;
  }

  /**
   * Makes a reader that waits after {@link ReadAssist#WAIT} look again (the connection is free to
   * read). Never blocks for long.
   */
  public void nudge() {
    lock.lock();
    try {
      changes++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Polls briefly (the connection's spin, yielding the core) for the next chunk before the reader
   * parks: while a transfer flows a chunk usually comes within microseconds, and a park and
   * wake-up costs more than that (measured: 15 voluntary context switches per MiB without, 9
   * with a 50 µs spin).
   */
  private void spinWhile(int seen) {
    long end = Clock.system().nanoTime() + spinNanos;
    while (changes == seen && Clock.system().nanoTime() - end < 0) {
      Thread.yield();
    }
  }

  @Override
  public int available() {
    lock.lock();
    try {
      int n = current == null ? 0 : current.remaining();
      for (ByteBuffer c : chunks) {
        n += c.remaining();
      }
      return failure != null ? 0 : n;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Closes the stream; before its end, tells the sender to stop (the transfer is cancelled).
   * Idempotent; later reads fail.
   */
  @Override
  public void close() {
    boolean early;
    boolean keep;
    lock.lock();
    try {
      early = failure == null && !ended && reset == null;
      awaitingSender |= early;
      keep = awaitingSender; // stays in the table (discarding) until the sender's answer
      if (failure == null) {
        failure = new TetherException(ErrorCode.CANCELLED, what + " is closed");
      }
      discardBuffered();
      changes++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    wakeReader();
    ended();
    if (early) {
      table.resetSoon(callId, slot, ErrorCode.CANCELLED, "the reader closed " + what);
    }
    if (!keep) {
      removed();
    }
  }

  /** A reader reading the connection for this stream (see {@link ReadAssist}) looks again. */
  private void wakeReader() {
    ReadAssist assist = table.readAssist();
    if (assist != null) {
      assist.wake(this);
    }
  }

  /**
   * The first end, however it came: leaves the scope, and a result stream takes its call's other
   * streams with it. Idempotent.
   */
  private void ended() {
    lock.lock();
    try {
      if (done) {
        return;
      }
      done = true;
    } finally {
      lock.unlock();
    }
    CancelNode.Removal r = scope;
    if (r != null) {
      r.remove();
    }
    table.ended(callId, slot);
  }

  /** Leaves the table: nothing more will arrive for it. Idempotent. */
  private void removed() {
    table.removed(this, callId, slot);
  }

  /** The stream's window now (at most the table's largest), for tests of its growth. */
  int window() {
    lock.lock();
    try {
      return window;
    } finally {
      lock.unlock();
    }
  }

  /** Bytes queued and not yet read, for tests of the memory bound. */
  int bufferedBytes() {
    lock.lock();
    try {
      int n = current == null ? 0 : current.remaining();
      for (ByteBuffer c : chunks) {
        n += c.remaining();
      }
      return n;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return what;
  }

  /** Drops every chunk received and not yet read. Under {@link #lock}. */
  private void discardBuffered() {
    if (current != null) {
      table.recycle(current);
      current = null;
    }
    ByteBuffer c;
    while ((c = chunks.poll()) != null) {
      table.recycle(c);
    }
  }

  /**
   * Fails the stream because the reading thread was interrupted (a cancel of the transfer). Called
   * with {@link #lock} held; releases it around {@link #fail}, which tells the other side.
   */
  private void failInterrupted() {
    lock.unlock();
    try {
      fail(new CallCancelledException(cancelOutcome, what
          + " stopped: the reading thread was interrupted"), true);
    } finally {
      lock.lock();
    }
  }
}
