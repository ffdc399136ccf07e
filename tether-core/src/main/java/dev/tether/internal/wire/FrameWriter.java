package dev.tether.internal.wire;

import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.transport.Link;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Writes finished frames to a {@link Link} from any thread, combining them under load.
 *
 * <p>The thread that finds the link free writes its frame at once, together with any frames
 * other threads queued meanwhile, in as few system calls as they fit. A thread that finds the
 * link busy queues a copy of its frame and returns: the writing thread picks it up before it lets
 * go (a combining writer, so writers never wait for each other). {@link #writeSoon} only queues and
 * leaves the writing to a background flush, for bursts (thousands of cancels) that should not cost
 * the sender a system call each. Frames from one thread keep their order.
 *
 * <p>Bulk data (stream chunks, {@link #writeBulk}) never goes into the queue: its writer waits
 * for the link, then writes whatever call and control frames were queued meanwhile before its
 * chunk, and the chunk straight from its array. So a small frame waits behind at most the one
 * chunk being written, never behind a backlog of chunks, and a chunk is never copied to be queued.
 * A bulk writer beside small frames ({@link #smallFramesBesideBulk} changes) should first wait for
 * room without holding the writer ({@link #awaitRoom}), so that its chunk does not block in the
 * link while an answer waits behind it.
 *
 * <p>Queued frames are counted in a {@link ByteBudget} (the connection's, never its parent's):
 * while a peer does not read, its answers pile up only until that budget is exhausted, at which
 * point the connection's reader stops accepting frames from it, so no more answers are made for
 * it; the link gives up on a write that makes no progress for its stall limit. Other connections
 * are not affected.
 *
 * <p>A thread that knows more frames of its own follow at once (a server reader with further
 * calls already read, whose answers it will write) may {@link #cork} the writer: until it calls
 * {@link #uncork}, its own frames are queued instead of written (up to 32 KiB),
 * and go out together in one write. Other threads' frames are never held back; their writes carry
 * the corked frames along.
 *
 * <p>A write that fails breaks the link: the failure goes to the {@code onError} callback (and is
 * thrown to the thread that was writing), which must close the connection.
 */
public final class FrameWriter {
  private static final int BATCH_BYTES = 64 * 1024;

  private final Link link;
  private final Consumer<IOException> onError;
  private final ReentrantLock lock = new ReentrantLock();
  private final ConcurrentLinkedQueue<byte[]> queued = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private ByteBuffer batch; // guarded by lock; allocated on first need, freed by trim()
  private ByteBuffer bulk; // guarded by lock; a large bulk frame's direct copy, freed by trim()
  private final ByteBudget queueBudget; // null: not counted
  /** The thread whose frames are held back (see {@link #cork}); null: nobody's. */
  private volatile Thread corker;
  /** Bytes the corker queued since it corked; the corker's thread only. */
  private int corkedBytes;
  /** Most bytes a corked thread queues before its next frame is written (with them) after all. */
  static final int CORK_BYTES = 32 * 1024;
  /** True once bulk data was written (until {@link #trim}): small frames are counted then. */
  private volatile boolean bulkSeen;
  /** Small frames handed over while {@link #bulkSeen}; only its changes mean anything. */
  private final AtomicInteger smallFrames = new AtomicInteger();

  /** Creates a writer for {@code link}; {@code onError} hears of failed background writes. */
  public FrameWriter(Link link, Consumer<IOException> onError) {
    this(link, onError, null);
  }

  /**
   * Like {@link #FrameWriter(Link, Consumer)}, counting the bytes of queued frames in
   * {@code queueBudget} (locally: see {@link ByteBudget#chargeLocal}).
   */
  public FrameWriter(Link link, Consumer<IOException> onError, ByteBudget queueBudget) {
    this.link = link;
    this.onError = onError;
    this.queueBudget = queueBudget;
  }

  /** Writes the frame built in {@code frame} (see {@link Frames}), or queues it if others write. */
  public void write(ByteWriter frame) throws IOException {
    countSmallFrame();
    if (corker == Thread.currentThread()) {
      if (corkedBytes + frame.size() <= CORK_BYTES) {
        corkedBytes += frame.size();
        enqueue(frame);
        return;
      }
      corkedBytes = 0; // written below, with everything it queued
    }
    ByteWriter own = frame;
    if (!lock.tryLock()) {
      enqueue(frame);
      if (!lock.tryLock()) {
        return; // the thread holding the lock writes it before letting go
      }
      own = null; // queued already
    }
    try {
      flush(own);
    } finally {
      lock.unlock();
    }
    drainLeftovers();
  }

  /**
   * Queues the frame for whoever writes next and returns without writing: for a frame some other
   * thread is about to write anyway (a client's leader reading answers writes the calls its
   * followers offered, together). The caller must make sure somebody does: {@link #flushOffered}.
   */
  public void offer(ByteWriter frame) {
    countSmallFrame();
    enqueue(frame);
  }

  /**
   * Writes the queued frames if any and nobody else is writing (then the writing thread does).
   * Cheap when nothing is queued.
   *
   * @throws IOException when writing them fails
   */
  public void flushOffered() throws IOException {
    drainLeftovers();
  }

  /**
   * Holds back the current thread's frames until {@link #uncork}: they are queued, and written
   * with the next frame that is written (by any thread) or by {@code uncork}. For a thread that
   * will write several frames in a row soon (a server reader answering calls it has already
   * read). Only one thread corks at a time: a later {@code cork} from another thread (a reader
   * that took over) replaces it. The caller must {@code uncork} before it waits for anything.
   */
  public void cork() {
    if (corker != Thread.currentThread()) {
      corker = Thread.currentThread();
      corkedBytes = 0;
    }
  }

  /**
   * Ends {@link #cork}, whoever corked, and writes what is queued if nobody else is writing (then
   * the writing thread does). Cheap when not corked.
   *
   * @throws IOException when writing the queued frames fails
   */
  public void uncork() throws IOException {
    if (corker == null) {
      return;
    }
    corker = null;
    corkedBytes = 0;
    drainLeftovers();
  }

  /**
   * Writes a frame of bulk data (a stream chunk): waits until no other thread writes, then writes
   * every frame queued meanwhile first and {@code frame} last, without copying it. Unlike
   * {@link #write}, it never queues: each chunk is one turn at the link, and other threads'
   * frames go between turns. The wait is bounded by the writing thread's own write, which fails
   * after the link's stall limit.
   */
  public void writeBulk(ByteWriter frame) throws IOException {
    if (!bulkSeen) {
      bulkSeen = true;
    }
    lock.lock();
    try {
      if (frame.size() <= BATCH_BYTES) {
        flush(frame);
      } else {
        flush(null);
        writeDirect(frame);
      }
    } finally {
      lock.unlock();
    }
    drainLeftovers();
  }

  /**
   * Writes a large frame from a direct copy of it. Handed to the channel as a heap array, it would
   * be copied whole to a temporary direct buffer on every write, and what is left of it again
   * after every partial write into a full socket, the usual case while a stream flows (measured:
   * about 1.5 writes per 128 KiB chunk); this copies each byte once. Lock held.
   */
  private void writeDirect(ByteWriter frame) throws IOException {
    int n = frame.size();
    if (bulk == null || bulk.capacity() < n) {
      bulk = ByteBuffer.allocateDirect(n);
    }
    bulk.clear();
    bulk.put(frame.array(), 0, n).flip();
    link.write(bulk);
  }

  /**
   * Waits, at most {@code timeoutNanos} and without holding the writer, until the link would take
   * bytes without blocking (see {@link Link#awaitWritable}); false on timeout. A thread about to
   * {@link #writeBulk} may wait here first: then it does not hold the writer while the peer drains
   * the link, and the small frames written meanwhile go out at once instead of behind its chunk.
   *
   * @throws IOException when the link is closed
   */
  public boolean awaitRoom(long timeoutNanos) throws IOException {
    return link.awaitWritable(timeoutNanos);
  }

  /** Counts a frame other than bulk data (see {@link #smallFramesBesideBulk}). */
  private void countSmallFrame() {
    if (bulkSeen) { // a volatile read: costs nothing more on a connection without streams
      smallFrames.incrementAndGet();
    }
  }

  /**
   * A number that changes whenever a frame other than bulk data is handed to this writer (written,
   * offered or queued) after bulk data was: a bulk writer that sees it change knows that calls,
   * answers or control frames are being sent beside its data, and can leave them room (see
   * {@link #awaitRoom}). Counting starts with the first {@link #writeBulk}, so a connection without
   * streams pays one volatile read per frame. Thread-safe.
   */
  public int smallFramesBesideBulk() {
    return smallFrames.get();
  }

  /** Builds a frame with {@code build} in this thread's scratch buffer and {@link #write}s it. */
  public void write(Consumer<ByteWriter> build) throws IOException {
    ByteWriter w = FrameBuffers.acquire();
    try {
      build.accept(w);
      write(w);
    } finally {
      FrameBuffers.release(w);
    }
  }

  /** Builds a frame with {@code build} and queues it like {@link #writeSoon(ByteWriter)}. */
  public void writeSoon(Consumer<ByteWriter> build) {
    ByteWriter w = FrameBuffers.acquire();
    try {
      build.accept(w);
      writeSoon(w);
    } finally {
      FrameBuffers.release(w);
    }
  }

  /**
   * Queues the frame and returns at once; a background flush writes it (with whatever else is
   * queued) shortly. For frames whose delay of a few microseconds does not matter.
   */
  public void writeSoon(ByteWriter frame) {
    countSmallFrame();
    enqueue(frame);
    if (flushScheduled.compareAndSet(false, true)) {
      Thread.ofVirtual().name("tether-flush").start(this::backgroundFlush);
    }
  }

  private void backgroundFlush() {
    try {
      do {
        flushScheduled.set(false);
        lock.lock();
        try {
          flush(null);
        } finally {
          lock.unlock();
        }
      } while (!queued.isEmpty() && flushScheduled.compareAndSet(false, true));
    } catch (IOException e) {
      onError.accept(e);
    }
  }

  /**
   * Waits until every frame handed to {@link #write} before this call has reached the link, for
   * at most {@code timeoutNanos}: it takes the writer's lock (so a batch being written by another
   * thread is complete) and writes whatever is still queued. Used before a graceful close, so the
   * last answers are not cut off. Returns false when the lock was not free in time.
   *
   * @throws IOException when writing the queued frames fails
   */
  public boolean flushQueued(long timeoutNanos) throws IOException {
    try {
      if (!lock.tryLock(timeoutNanos, java.util.concurrent.TimeUnit.NANOSECONDS)) {
        return false;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    try {
      flush(null);
    } finally {
      lock.unlock();
    }
    return true;
  }

  /**
   * Drops every queued frame and gives back its bytes: the link is closed, nobody will write them.
   * Safe from any thread.
   */
  public void discardQueued() {
    byte[] q;
    while ((q = queued.poll()) != null) {
      if (queueBudget != null) {
        queueBudget.releaseLocal(q.length);
      }
    }
  }

  /**
   * Frees the batch buffer if nobody is writing and nothing is queued, so an idle connection
   * costs no buffer memory; the next write allocates it again. Never waits. An idle connection
   * also stops counting small frames until bulk data flows again.
   */
  public void trim() {
    if (lock.tryLock()) {
      try {
        if (queued.isEmpty()) {
          batch = null;
          bulk = null;
          bulkSeen = false;
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /** Frames queued while the lock was held may be left; whoever can take the lock writes them. */
  private void drainLeftovers() throws IOException {
    while (!queued.isEmpty() && lock.tryLock()) {
      try {
        flush(null);
      } finally {
        lock.unlock();
      }
    }
  }

  /** Writes the queued frames, then {@code own} (may be null), batching what fits. Lock held. */
  private void flush(ByteWriter own) throws IOException {
    if (batch == null) {
      batch = ByteBuffer.allocateDirect(BATCH_BYTES);
    }
    batch.clear();
    byte[] q;
    while ((q = queued.poll()) != null) {
      if (queueBudget != null) {
        queueBudget.releaseLocal(q.length);
      }
      put(q, 0, q.length);
    }
    if (own != null) {
      put(own.array(), 0, own.size());
    }
    send();
  }

  private void put(byte[] bytes, int off, int len) throws IOException {
    if (len > batch.remaining()) {
      send();
      if (len > batch.capacity()) {
        link.write(ByteBuffer.wrap(bytes, off, len));
        return;
      }
    }
    batch.put(bytes, off, len);
  }

  private void send() throws IOException {
    batch.flip();
    try {
      if (batch.hasRemaining()) {
        link.write(batch);
      }
    } finally {
      batch.clear();
    }
  }

  private void enqueue(ByteWriter frame) {
    byte[] copy = copyOf(frame);
    if (queueBudget != null) {
      queueBudget.chargeLocal(copy.length);
    }
    queued.add(copy);
  }

  private static byte[] copyOf(ByteWriter frame) {
    byte[] copy = new byte[frame.size()];
    System.arraycopy(frame.array(), 0, copy, 0, copy.length);
    return copy;
  }
}
