package dev.tether.internal.client;

import dev.tether.internal.cancel.Grace;
import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.time.Clock;
import dev.tether.internal.transport.Link;
import dev.tether.internal.wire.FrameHandler;
import dev.tether.internal.wire.FrameReader;
import dev.tether.internal.wire.FrameWriter;
import dev.tether.internal.wire.ProtocolException;
import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Who reads a connection's answers: leader/follower, so a caller usually reads its own answer and
 * no thread hand-off sits between the socket and the caller.
 *
 * <p>A caller waiting for its answer becomes the leader if nobody reads; the leader reads frames
 * (spinning briefly before it blocks) and completes every call they answer, until its own call
 * ends. Callers that find a leader are followers: they park and are woken by whoever completes
 * their call. A leader that steps down while calls are still pending promotes a follower, or, when
 * only asynchronous calls (which have no waiting thread) remain, wakes the background reader.
 *
 * <p>Calls gathered: while a leader polls without blocking, a caller that is not the leader
 * {@linkplain #send offers} its CALL frame to the writer instead of writing it; the leader writes
 * every offered frame in one system call whenever it finds nothing to read, and before it blocks
 * or steps down. Many callers then cost the connection one write per batch instead of one per
 * call, and a lone caller (its own leader, or with nobody reading) still writes its call at once.
 *
 * <p>Wakes passed on: a leader reading in {@link #lead} does not wake the callers of the calls
 * it completes itself ({@link #wakeLater}); it queues them and wakes the first, and every woken
 * caller wakes the next ({@link #passWake}) before it goes on. A wake (a futex call, and on a
 * virtual machine an inter-processor interrupt) costs the waker a few microseconds; done by the
 * leader, 16 callers' wakes held up the reading (and the leader's writing of offered calls) while
 * the other core idled. Nobody is left asleep: the leader wakes whoever is still queued whenever it
 * finds nothing to read and no chain of wakes runs, before it waits, and before it steps down.
 */
final class ReplyReader {
  private static final long BACKGROUND_RECHECK_NANOS = 50_000_000;
  private static final long STREAM_ENDED_PARK_NANOS = 10_000_000;
  private final ClientConnection connection;
  private final FrameReader frames;
  private final Link link;
  private final FrameHandler handler;
  private final long spinNanos;
  private final FrameWriter writer;
  private final AtomicReference<Thread> leader = new AtomicReference<>();
  /** A leader polls without blocking and will write offered calls soon (see {@link #send}). */
  private volatile boolean gathering;
  private final ConcurrentLinkedQueue<PendingCall> followers = new ConcurrentLinkedQueue<>();
  /** Callers whose calls the leader completed, to be woken by the chain (see {@link #passWake}). */
  private final ConcurrentLinkedQueue<Thread> toWake = new ConcurrentLinkedQueue<>();
  /** A woken caller will pass the wake on; a hint: the leader's drains are the guarantee. */
  private volatile boolean chainRunning;
  /** The leader while it reads in {@link #readUntil}, the only thread that queues wakes. */
  private volatile Thread chainingLeader;
  private final Object backgroundLock = new Object();
  private volatile boolean backgroundWanted;
  private Thread background; // guarded by backgroundLock
  /** Result streams' consumers that read for themselves (set once, before any call). */
  private ConsumerReads consumers;

  ReplyReader(ClientConnection connection, FrameReader frames, Link link, FrameHandler handler,
      long spinNanos, FrameWriter writer) {
    this.connection = connection;
    this.writer = writer;
    this.frames = frames;
    this.link = link;
    this.handler = handler;
    this.spinNanos = spinNanos;
  }

  /**
   * Writes a CALL frame: offered to the leader while one polls (it writes the calls that arrive
   * together in one write), else written now. Frames keep their order either way: a later write
   * on this connection writes the offered frames first.
   *
   * @throws IOException when the write fails
   */
  void send(ByteWriter frame) throws IOException {
    if (gathering && leader.get() != Thread.currentThread()) {
      writer.offer(frame);
      if (!gathering) {
        writer.flushOffered(); // the leader stopped gathering meanwhile: it may have missed it
      }
      return;
    }
    writer.write(frame);
  }

  /**
   * True when {@code t}, completing a call, should leave waking its caller to the chain ({@link
   * #wakeLater}): {@code t} leads in {@link #readUntil}, which wakes whoever is left before it
   * ends.
   */
  boolean passesWakes(Thread t) {
    return chainingLeader == t;
  }

  /**
   * The leader completed a call of {@code caller}: queue it to be woken, and wake the first of the
   * queue unless a chain of wakes runs already. Only the thread {@link #passesWakes} says may.
   */
  void wakeLater(Thread caller) {
    toWake.add(caller);
    if (!chainRunning) {
      chainRunning = true;
      Thread next = toWake.poll();
      if (next != null) {
        LockSupport.unpark(next);
      }
    }
  }

  /**
   * A caller that was woken (or found its call ended) wakes the next queued caller, if a chain of
   * wakes runs. Cheap otherwise (one volatile read).
   */
  void passWake() {
    if (chainRunning) {
      Thread next = toWake.poll();
      if (next == null) {
        chainRunning = false; // the leader's next completion starts a new chain
      } else {
        LockSupport.unpark(next);
      }
    }
  }

  /** The leader wakes every queued caller itself (before it waits or leaves, or with no chain). */
  private void drainWakes() {
    Thread next;
    while ((next = toWake.poll()) != null) {
      LockSupport.unpark(next);
    }
    chainRunning = false;
  }

  /** The leader stops gathering (before it blocks or steps down) and writes what was offered. */
  private void stopGathering() throws IOException {
    drainWakes();
    gathering = false;
    writer.flushOffered();
  }

  /** Lets result streams' consumers lead (see {@link ConsumerReads}); called once, at start. */
  void consumers(ConsumerReads c) {
    this.consumers = c;
  }

  /** True while some thread leads. */
  boolean hasLeader() {
    return leader.get() != null;
  }

  /**
   * The background reader stands aside: only streams are open (no call pending) and a stream's
   * consumer waits to read the connection itself.
   */
  private boolean standAside() {
    return consumers != null && consumers.wanted() && connection.pendingCount() == 0;
  }

  /** Makes the current thread the leader if nobody reads. */
  boolean tryLead() {
    return leader.get() == null && leader.compareAndSet(null, Thread.currentThread());
  }

  /** True when {@code t} is the one reading. */
  boolean isLeader(Thread t) {
    return leader.get() == t;
  }

  /**
   * As leader: reads answers until {@code call} ends, {@code wakeAt} passes (a {@link
   * System#nanoTime} instant or {@link Grace#FOREVER}), the thread is interrupted, or
   * {@link #wakeLeader} is called; then steps down.
   */
  void lead(PendingCall call, long wakeAt) {
    try {
      readUntil(call, wakeAt);
    } finally {
      stepDown();
    }
  }

  private void readUntil(PendingCall call, long wakeAt) {
    long spinEnd = Clock.system().nanoTime() + spinNanos;
    gathering = spinNanos > 0;
    chainingLeader = Thread.currentThread();
    try {
      while (call == null ? connection.hasPending() && !standAside() : !call.isDone()) {
        if (connection.streamEnded()) {
          // the peer is gone and its owner is finding out how (a worker's exit code): nothing to
          // read; wait briefly (woken by the failure) rather than spin on end-of-stream
          long until = call == null ? wakeAt : earlier(wakeAt, call.releaseAt());
          long now = Clock.system().nanoTime();
          if (until != Grace.FOREVER && now - until >= 0) {
            return;
          }
          LockSupport.parkNanos(this, until == Grace.FOREVER ? STREAM_ENDED_PARK_NANOS
              : Math.min(STREAM_ENDED_PARK_NANOS, until - now));
          if (Thread.currentThread().isInterrupted()) {
            return;
          }
          continue;
        }
        // with spinning off, a read before the wait would find nothing but cost a system call
        int r = spinNanos > 0 || frames.hasBufferedFrame() ? frames.poll(handler, 0)
            : FrameReader.NONE;
        if (r == FrameReader.FRAME) {
          connection.heard();
          spinEnd = Clock.system().nanoTime() + spinNanos;
          continue;
        }
        if (r == FrameReader.END) {
          connection.readEnded(null);
          return;
        }
        long now = Clock.system().nanoTime();
        long until = call == null ? wakeAt : earlier(wakeAt, call.releaseAt());
        if (until != Grace.FOREVER && now - until >= 0 || Thread.currentThread().isInterrupted()) {
          return;
        }
        if (now - spinEnd < 0) {
          if (!chainRunning && !toWake.isEmpty()) {
            drainWakes(); // a chain ended just as a wake was queued: nobody else would
          }
          writer.flushOffered(); // nothing to read: the calls offered meanwhile go out together
          Thread.yield(); // lets a thread waiting for this core (perhaps our peer) run first
          continue;
        }
        stopGathering();
        // the background reader re-checks now and then whether anything is still pending
        long wait = call == null ? BACKGROUND_RECHECK_NANOS
            : until == Grace.FOREVER ? Long.MAX_VALUE : until - now;
        r = frames.poll(handler, wait);
        if (r == FrameReader.FRAME) {
          connection.heard();
          spinEnd = Clock.system().nanoTime() + spinNanos;
          gathering = spinNanos > 0;
        } else if (r == FrameReader.END) {
          connection.readEnded(null);
          return;
        }
      }
    } catch (IOException | ProtocolException e) {
      connection.readEnded(e);
    } finally {
      try {
        stopGathering(); // before stepping down: the next leader gathers anew
      } catch (IOException e) {
        connection.readEnded(e);
      } finally {
        chainingLeader = null;
        drainWakes(); // what readEnded's failure just completed
      }
    }
  }

  /**
   * Reads, without waiting, whatever the peer already sent, if nobody else is reading: after a
   * failed write, this finds the GOAWAY in which a server said why it closed (idle, shutting
   * down), so the failure can say so. Completes answers it finds, like any reader.
   */
  void readWhatArrived() {
    if (!tryLead()) {
      return;
    }
    try {
      for (int i = 0; i < 64 && frames.poll(handler, 0) == FrameReader.FRAME; i++) {
        connection.heard();
      }
    } catch (IOException | ProtocolException e) {
      // the link is failing anyway: what was read so far is all there is
    } finally {
      leader.set(null);
    }
  }

  private static long earlier(long a, long b) {
    if (a == Grace.FOREVER) {
      return b;
    }
    return b == Grace.FOREVER || a - b < 0 ? a : b;
  }

  /**
   * Leaves the lead and wakes who reads next: a parked caller, else a result stream's consumer
   * waiting to read, else, when calls are pending, the background reader. Streams alone wake
   * nobody: their consumers read for themselves ({@link ConsumerReads#tick} wakes the background
   * reader when they do not).
   */
  void stepDown() {
    leader.set(null);
    if (!connection.hasPending()) {
      return;
    }
    PendingCall f;
    while ((f = followers.poll()) != null) {
      if (!f.isDone()) {
        f.wakeCaller();
        return;
      }
    }
    if (consumers != null && (consumers.handOff() || connection.pendingCount() == 0)) {
      return;
    }
    wakeBackground();
  }

  /**
   * Registers {@code call} as waiting without leading. Returns false (not registered) when the
   * leader left meanwhile, so the caller should try to lead instead.
   */
  boolean follow(PendingCall call) {
    followers.add(call);
    if (leader.get() == null) {
      followers.remove(call);
      return false;
    }
    return true;
  }

  /** The follower stopped waiting. */
  void unfollow(PendingCall call) {
    followers.remove(call);
  }

  /** Makes the leader return from a wait, if {@code t} is the leader and not the caller itself. */
  void wakeLeader(Thread t) {
    if (t != Thread.currentThread() && leader.get() == t) {
      link.wakeupReader();
    }
  }

  /** Asynchronous calls have no thread of their own: make sure somebody reads for them. */
  void ensureReader() {
    if (leader.get() == null) {
      wakeBackground();
    }
  }

  private void wakeBackground() {
    Thread t;
    synchronized (backgroundLock) {
      backgroundWanted = true;
      t = background;
      if (t == null) {
        t = Thread.ofPlatform().daemon().name("tether-client-reader " + connection.peer())
            .start(this::backgroundLoop);
        background = t;
        return;
      }
    }
    LockSupport.unpark(t);
  }

  /** The background reader: leads while calls are pending and nobody else does. */
  private void backgroundLoop() {
    while (connection.isOpen()) {
      if (!backgroundWanted) {
        LockSupport.park(this);
        continue;
      }
      backgroundWanted = false;
      Thread.interrupted(); // nobody may interrupt this thread into a busy loop
      while (connection.isOpen() && connection.hasPending() && tryLead()) {
        if (standAside()) {
          stepDown(); // wakes the consumer waiting to read
          break;
        }
        lead(null, Grace.FOREVER);
      }
    }
  }

  /** Stops the background reader, waiting at most {@code millis} for it. */
  void close(long millis) {
    Thread t;
    synchronized (backgroundLock) {
      t = background;
    }
    if (t != null && t != Thread.currentThread()) {
      LockSupport.unpark(t);
      try {
        t.join(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
