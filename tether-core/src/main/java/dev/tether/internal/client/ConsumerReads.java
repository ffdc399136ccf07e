package dev.tether.internal.client;

import dev.tether.internal.stream.InboundStream;
import dev.tether.internal.stream.LeadPoll;
import dev.tether.internal.stream.ReadAssist;
import dev.tether.internal.time.Clock;
import dev.tether.internal.transport.Link;
import dev.tether.internal.wire.FrameHandler;
import dev.tether.internal.wire.FrameReader;
import dev.tether.internal.wire.ProtocolException;
import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The thread that consumes a result stream reads the connection itself while it waits for data,
 * as a synchronous caller reads its own answer ({@link ReplyReader}): it leads the connection's
 * reading until its stream has data (or ends, fails, is closed), dispatching every frame it reads
 * to its owner as any leader does, then steps down. A chunk then goes from the socket to the
 * consumer with no other thread and no wake-up between them, where the background reader used to
 * read it and wake the consumer (two busy threads and a hand-off per chunk).
 *
 * <p>Who reads when the consumers do not: a consumer that finds another leader registers and waits
 * for its stream to change; a leader stepping down wakes waiting consumers before it would wake
 * the background reader; the background reader, leading while only streams are open (no call
 * pending), stands aside as soon as a consumer waits. A consumer stepping down wakes nobody when
 * no call is pending (its next read leads again); if no consumer comes back for a whole liveness
 * tick ({@link #tick}), the background reader takes over, so the peer's data (up to the window),
 * pings and the end of the connection are still read while the consumers are busy elsewhere.
 *
 * <p>Thread-safe; the lead itself is {@link ReplyReader}'s.
 */
final class ConsumerReads implements ReadAssist {
  /** Longest single wait in the selector: the loop re-checks its stream at least this often. */
  private static final long RECHECK_NANOS = 50_000_000;
  private final ClientConnection connection;
  private final ReplyReader replies;
  private final FrameReader frames;
  private final FrameHandler handler;
  private final Link link;
  private final long spinNanos;
  private final ConcurrentLinkedQueue<InboundStream> waiting = new ConcurrentLinkedQueue<>();
  private volatile InboundStream leadingFor;
  /** Leads by consumers so far; written only by the leader. */
  private volatile long leads;
  private long leadsAtTick; // timer thread only

  ConsumerReads(ClientConnection connection, ReplyReader replies, FrameReader frames,
      FrameHandler handler, Link link, long spinNanos) {
    this.connection = connection;
    this.replies = replies;
    this.frames = frames;
    this.handler = handler;
    this.link = link;
    this.spinNanos = spinNanos;
  }

  @Override
  public int readFor(InboundStream stream, int seen) {
    if (!connection.isOpen() || connection.streamEnded()) {
      return WAIT; // the connection's failure is on its way and changes the stream
    }
    if (!replies.tryLead()) {
      waiting.add(stream);
      if (!replies.hasLeader()) { // it left meanwhile (and may not have seen us): lead instead
        waiting.remove(stream);
        return READ;
      }
      if (connection.pendingCount() == 0) {
        link.wakeupReader(); // the background reader leads for streams alone: it stands aside
      }
      return WAIT;
    }
    leads++; // only the leader writes it
    leadingFor = stream;
    try {
      return readUntilChanged(stream, seen);
    } finally {
      leadingFor = null;
      replies.stepDown();
    }
  }

  private int readUntilChanged(InboundStream stream, int seen) {
    long spinEnd = Clock.system().nanoTime() + spinNanos;
    try {
      while (!stream.changedSince(seen)) {
        if (connection.streamEnded()) {
          return WAIT; // the peer is gone; its owner decides how the stream fails
        }
        int r = LeadPoll.poll(frames, handler, spinNanos, spinEnd, RECHECK_NANOS);
        if (r == LeadPoll.INTERRUPTED) {
          return READ; // the stream fails with the interrupt
        }
        if (r == FrameReader.FRAME) {
          connection.heard();
          spinEnd = Clock.system().nanoTime() + spinNanos;
        } else if (r == FrameReader.END) {
          connection.readEnded(null);
          return WAIT;
        }
      }
      return READ;
    } catch (IOException | ProtocolException e) {
      connection.readEnded(e);
      return WAIT;
    }
  }

  @Override
  public void stopWaiting(InboundStream stream) {
    waiting.remove(stream);
  }

  @Override
  public void wake(InboundStream stream) {
    if (leadingFor == stream) {
      link.wakeupReader();
    }
  }

  /** True when a consumer waits for the connection to be free to read. */
  boolean wanted() {
    return !waiting.isEmpty();
  }

  /**
   * The lead is free: wakes every waiting consumer (one of them leads next). Returns false when
   * none waits.
   */
  boolean handOff() {
    if (waiting.isEmpty()) {
      return false; // the usual case: no iterator
    }
    boolean any = false;
    for (InboundStream s : waiting) {
      s.nudge();
      any = true;
    }
    return any;
  }

  /**
   * One liveness tick (timer thread; never blocks): when streams are open, nobody reads and no
   * consumer has led since the last tick, wakes the background reader, so nothing the peer sends
   * waits longer than about a tick for a consumer that is busy elsewhere. From a virtual thread:
   * the first wake starts the reader thread, which may take a while on a busy machine.
   */
  void tick() {
    long l = leads;
    if (l == leadsAtTick && !connection.streams().isEmpty() && !replies.hasLeader()) {
      Thread.ofVirtual().name("tether-stream-reading").start(replies::ensureReader);
    }
    leadsAtTick = l;
  }
}
