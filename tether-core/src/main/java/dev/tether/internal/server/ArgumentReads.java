package dev.tether.internal.server;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A method reading an argument stream reads the connection itself while it waits for data, as a
 * result stream's consumer does on the client: its thread leads the connection's reading until
 * its stream has data (or ends, fails, is closed), dispatching every frame it reads to its owner
 * as the connection's reader would (a cancel to its call, another stream's chunk to that stream;
 * a call to the executor, never inline: see {@link #onThisThread}), then steps down. A chunk then
 * goes from the socket to the method with no other thread and no wake-up between them, where the
 * connection's reader thread used to read it and wake the method (two busy threads and a hand-off
 * per chunk).
 *
 * <p>Who reads when: the lead is the connection's reader thread's ({@link #READER}) until a method
 * asks for it; the reader sees that ({@link #wanted}) before its next wait and stands aside
 * ({@link #standAside}), waiting until the lead has been free for a whole {@link #RECHECK_NANOS}
 * with no method leading meanwhile, or until a method needs it: an admin call (which always runs
 * inline on the reader) was read, the client said GOAWAY, the connection ended or failed, or a
 * stream ended. A method
 * finding another method leading waits for its stream to change and is woken ({@link
 * InboundStream#nudge}) when the lead comes free. So nothing the client sends waits longer than
 * about {@code 2 * RECHECK_NANOS} for a method that stopped reading; while a method reads, every
 * frame is dispatched at once.
 *
 * <p>Thread-safe. The reader thread's cost when no method reads: one volatile read per wait
 * ({@link #wanted}).
 */
final class ArgumentReads implements ReadAssist {
  /** How long the lead stays free before the reader thread takes it back. */
  static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  /** Longest single wait of a leading method in the selector: it re-checks at least this often. */
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  static final int READER = 0;
  static final int FREE = 1;
  static final int METHOD = 2;

  private final ServerConnection connection;
  private final FrameReader frames;
  private final FrameHandler handler;
  private final Link link;
  private final long spinNanos;
  /** Who reads: {@link #READER}, {@link #FREE} or {@link #METHOD}. */
  private final AtomicInteger lead = new AtomicInteger(READER);
  private final ConcurrentLinkedQueue<InboundStream> waiting = new ConcurrentLinkedQueue<>();
  private volatile InboundStream leadingFor;
  /** The method thread leading, or null. */
  private volatile Thread leader;
  /** Leads by methods so far; written only by the leader. */
  private volatile long leads;
  /** A method read something only the reader thread acts on: it takes the lead back at once. */
  private volatile boolean readerCalled;
  /** What a method's read met that ends the connection (the reader thread throws it). */
  private volatile Exception failure;
  private volatile boolean ended;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition readerWake = lock.newCondition();

  ArgumentReads(ServerConnection connection, FrameReader frames, FrameHandler handler, Link link,
      long spinNanos) {
    this.connection = connection;
    this.frames = frames;
    this.handler = handler;
    this.link = link;
    this.spinNanos = spinNanos;
  }

  // ---- the method's side ----

  @Override
  public int readFor(InboundStream stream, int seen) {
    if (connection.closed.get() || connection.clientLeft) {
      return WAIT; // the close fails the stream
    }
    if (readerCalled || !lead.compareAndSet(FREE, METHOD)) {
      waiting.add(stream);
      int now = lead.get();
      // it came free meanwhile (its holder may not have seen us)
      if (now == FREE && !readerCalled) {
        waiting.remove(stream);
        return READ;
      }
      if (now == READER) {
        link.wakeupReader(); // the reader thread stands aside before its next wait
      }
      return WAIT;
    }
    leads++; // only the leader writes it
    leadingFor = stream;
    leader = Thread.currentThread();
    boolean callReader = true;
    try {
      callReader = readUntilChanged(stream, seen);
    } finally {
      leader = null;
      leadingFor = null;
      stepDown(callReader || stream.isOver());
    }
    return READ;
  }

  /**
   * Reads and dispatches frames until {@code stream} changes. Returns true when the reader thread
   * must act (a call to run inline, GOAWAY, the end or failure of the connection).
   */
  private boolean readUntilChanged(InboundStream stream, int seen) {
    long spinEnd = Clock.system().nanoTime() + spinNanos;
    try {
      while (!stream.changedSince(seen)) {
        if (connection.closed.get()) {
          return true;
        }
        int r = LeadPoll.poll(frames, handler, spinNanos, spinEnd, POLL_NANOS);
        if (r == LeadPoll.INTERRUPTED) {
          return false; // the stream fails with the interrupt
        }
        if (r == FrameReader.FRAME) {
          if (connection.nextInline != null || connection.clientLeft) {
            return true; // only the reader runs (admin) calls inline and ends the connection
          }
          spinEnd = Clock.system().nanoTime() + spinNanos;
        } else if (r == FrameReader.END) {
          ended = true;
          return true;
        }
      }
      return false;
    } catch (IOException | ProtocolException e) {
      failure = e;
      return true;
    }
  }

  private void stepDown(boolean callReader) {
    if (callReader) {
      readerCalled = true; // before the lead is free: a method seeing it free sees this too
    }
    lead.set(FREE);
    if (callReader) {
      lock.lock();
      try {
        readerWake.signalAll();
      } finally {
        lock.unlock();
      }
    } else {
      handOff();
    }
  }

  /** Wakes every waiting method (one of them leads next). */
  private void handOff() {
    for (InboundStream s : waiting) {
      s.nudge();
    }
  }

  @Override
  public void stopWaiting(InboundStream stream) {
    waiting.remove(stream);
  }

  @Override
  public void wake(InboundStream stream) {
    if (leadingFor == stream) {
      link.wakeupReader(); // it is in the selector for this stream
    } else if (lead.get() == FREE) {
      readerCalled = true; // a stream failed or closed: its method may not read again
      lock.lock();
      try {
        readerWake.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  // ---- the connection's reader thread ----

  /** True when a method waits to read the connection: the reader thread must stand aside. */
  boolean wanted() {
    return !waiting.isEmpty();
  }

  /**
   * The reader thread gives the lead to the waiting methods and waits until it may read again
   * (see the class comment). Returns {@link FrameReader#FRAME} when a method read a call to run
   * inline ({@link ServerConnection#nextInline}), {@link FrameReader#END} when a method met the
   * connection's end, else {@link FrameReader#NONE}; throws what a method's read threw. Returns
   * only with the lead: no method reads the connection after it.
   */
  int standAside() throws IOException, ProtocolException {
    lead.set(FREE);
    handOff();
    long seen = leads;
    boolean looked = false;
    lock.lock();
    try {
      while (true) {
        boolean urgent = readerCalled || connection.closed.get() || connection.clientLeft;
        boolean idle = looked && leads == seen; // no method led for a whole wait
        if ((urgent || idle) && lead.compareAndSet(FREE, READER)) {
          readerCalled = false;
          break;
        }
        looked = true;
        seen = leads;
        try {
          readerWake.awaitNanos(RECHECK_NANOS); // a method that needs the reader signals
        } catch (InterruptedException e) {
          // a reader is never meant to be interrupted: look again
        }
      }
    } finally {
      lock.unlock();
    }
    Exception e = failure;
    if (e instanceof IOException io) {
      throw io;
    } else if (e instanceof ProtocolException p) {
      throw p;
    }
    if (ended) {
      return FrameReader.END;
    }
    return connection.nextInline != null ? FrameReader.FRAME : FrameReader.NONE;
  }

  /**
   * True when the calling thread is a method reading the connection: a call it reads goes to a
   * call thread rather than inline on the reader thread, so that the method goes on reading (an
   * inline call would take the lead back to the reader thread and forth again, two wake-ups).
   * One volatile read.
   */
  boolean onThisThread() {
    return leader == Thread.currentThread();
  }

  /** Leads by methods so far, for tests. */
  long leads() {
    return leads;
  }
}
