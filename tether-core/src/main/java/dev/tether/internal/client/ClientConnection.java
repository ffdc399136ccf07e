package dev.tether.internal.client;

import dev.tether.ConnectionClosedException;
import dev.tether.ErrorCode;
import dev.tether.LivenessLostException;
import dev.tether.TetherException;
import dev.tether.TetherOptions;
import dev.tether.internal.cancel.CancelReason;
import dev.tether.internal.cancel.Timers;
import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.stream.StreamTable;
import dev.tether.internal.time.Clock;
import dev.tether.internal.transport.Link;
import dev.tether.internal.wire.FrameBuffers;
import dev.tether.internal.wire.FrameKind;
import dev.tether.internal.wire.FrameReader;
import dev.tether.internal.wire.FrameTooLargeException;
import dev.tether.internal.wire.FrameWriter;
import dev.tether.internal.wire.Frames;
import dev.tether.internal.wire.ProtocolException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The client end of one connection: the handshake, the table of pending calls, a reader thread
 * that hands each answer to its call, and liveness pings while calls are pending. Many threads
 * share it; calls are multiplexed by id, so a slow call never delays a fast one.
 *
 * <p>When the connection fails or closes, every pending call fails at once with
 * {@link ConnectionClosedException} (or the exception its {@link ConnectionObserver} supplies, or
 * {@link LivenessLostException}), and later calls fail without waiting.
 */
public final class ClientConnection implements AutoCloseable {
  private final Link link;
  private final FrameReader reader;
  private final FrameWriter writer;
  private final TetherOptions options;
  private final ConcurrentHashMap<Integer, PendingCall> pending = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final AtomicLong lateAnswers = new AtomicLong();
  private volatile int peerMaxFrameBytes;
  private volatile String peer;
  private volatile Failure failure;
  private volatile String goAway;
  private final Liveness liveness;
  private final ConnectionObserver observer;
  private final AtomicLong releasedCalls = new AtomicLong();
  private volatile boolean streamEnded;
  private volatile Runnable onIdle;
  private ReplyReader replies;
  /** Result streams' consumers reading for themselves (see {@link ConsumerReads}). */
  private ConsumerReads consumers;
  /** Byte streams of calls (see {@link StreamCalls}). */
  private final StreamTable streams;
  private ScheduledFuture<?> heartbeat;
  /** Retry budgets of this connection's calls, one per retry policy ({@link RetryingCall}). */
  private final ConcurrentHashMap<dev.tether.RetryPolicy, RetryBudget> retryBudgets =
      new ConcurrentHashMap<>();

  /** Why the connection is unusable; every caller gets its own exception built from it. */
  private record Failure(Supplier<? extends TetherException> factory) {
    TetherException exception() {
      return factory.get();
    }
  }

  private ClientConnection(Link link, TetherOptions options, ConnectionObserver observer) {
    this.link = link;
    this.options = options;
    this.observer = observer;
    this.liveness = new Liveness(options.pingInterval().toNanos(),
        options.pingTimeout().toNanos(), Clock.system().nanoTime());
    // Until the server's HELLO, a frame longer than a few KiB is refused before it is allocated.
    this.reader = new FrameReader(link, options.maxFrameBytes(), null,
        FrameKind.MAX_HANDSHAKE_FRAME_BYTES);
    this.writer = new FrameWriter(link,
        e -> lost("connection to " + link.peer() + " lost while sending", e));
    this.peer = link.peer();
    this.streams = new StreamTable(writer,
        e -> lost("connection to " + link.peer() + " lost while sending a stream", e),
        () -> peerMaxFrameBytes, options.streamWindowBytes(), link.isNetwork(),
        options.spin().toNanos());
    reader.readChunksInto(streams.chunkBuffers()); // stream chunks: socket to direct buffer
  }

  /**
   * Performs the handshake on {@code link} and starts reading. Closes the link and throws when the
   * peer does not answer in time or is not a Tether server.
   */
  public static ClientConnection open(Link link, TetherOptions options) throws IOException {
    return open(link, options, ConnectionObserver.NONE);
  }

  /** Like {@link #open(Link, TetherOptions)}, telling {@code observer} how it ends. */
  public static ClientConnection open(Link link, TetherOptions options,
      ConnectionObserver observer) throws IOException {
    ClientConnection c = new ClientConnection(link, options, observer);
    try {
      c.handshake();
    } catch (IOException | ProtocolException | RuntimeException e) {
      link.close();
      if (e instanceof IOException io) {
        throw io;
      }
      throw new IOException("handshake with " + link.peer() + " failed: " + e.getMessage(), e);
    }
    c.start();
    ClientCallTrace.LOG.log(System.Logger.Level.DEBUG, () -> "connected to " + c.peer);
    return c;
  }

  private void handshake() throws IOException, ProtocolException {
    ClientHandshake.Result r = ClientHandshake.perform(link, reader, writer, options);
    reader.handshakeDone();
    peerMaxFrameBytes = r.maxFrameBytes();
    peer = r.peer();
  }

  private void start() {
    AnswerHandler answers = new AnswerHandler(this);
    replies = new ReplyReader(this, reader, link, answers, options.spin().toNanos(), writer);
    consumers = new ConsumerReads(this, replies, reader, answers, link, options.spin().toNanos());
    replies.consumers(consumers);
    streams.readBy(consumers);
    heartbeat = Timers.scheduleAtFixedRate(this::checkLiveness, liveness.tickNanos());
  }

  /** The options this connection was opened with. */
  TetherOptions options() {
    return options;
  }

  /** The retry budget of calls under {@code policy} on this connection. */
  RetryBudget retryBudget(dev.tether.RetryPolicy policy) {
    return retryBudgets.computeIfAbsent(policy, p -> new RetryBudget(p.budgetRatio(),
        p.minRetriesPerSecond(), Clock.system()));
  }

  /** Who the peer is, for messages. */
  public String peer() {
    return peer;
  }

  /** True until the connection fails or is closed. */
  public boolean isOpen() {
    return failure == null;
  }

  /** Number of answers that arrived for calls that had already ended (forced or failed). */
  public long lateAnswers() {
    return lateAnswers.get();
  }

  /** Number of calls pending right now. */
  public int pendingCount() {
    return pending.size();
  }

  /**
   * Number of calls released without their answer after they were sent (forced by a grace,
   * deadline or interrupt): calls the server may still be running. Only counts up.
   */
  public long releasedCalls() {
    return releasedCalls.get();
  }

  /**
   * Runs {@code task} (which must not block) as soon as no call is pending, now if none is: for a
   * graceful shutdown. Calls registered later may make the connection busy again; the task runs
   * once.
   */
  public void whenIdle(Runnable task) {
    java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
    Runnable r = () -> {
      if (once.compareAndSet(false, true)) {
        onIdle = null;
        task.run();
      }
    };
    onIdle = r;
    if (pending.isEmpty() || failure != null) {
      r.run();
    }
  }

  int peerMaxFrameBytes() {
    return peerMaxFrameBytes;
  }

  /** Creates and registers a call; fails it at once if the connection is already unusable. */
  <C extends PendingCall> C register(C call) {
    pending.put(call.id, call);
    Failure f = failure;
    if (f != null) {
      call.complete(new Outcome.Failed(f.exception()));
    } else if (goAway != null) {
      call.complete(new Outcome.Failed(new ConnectionClosedException(goAway, null)));
    }
    return call;
  }

  int nextId() {
    int id = ids.incrementAndGet();
    if (id <= 0) { // wrapped after 2^31 calls: skip 0 and negatives
      ids.compareAndSet(id, 1);
      id = ids.incrementAndGet();
    }
    return id;
  }

  /** Sends a finished CALL frame for {@code call}, unless the call already ended. */
  void send(PendingCall call, ByteWriter frame) {
    if (!call.beginSend()) {
      return;
    }
    try {
      if (replies != null) {
        replies.send(frame); // gathered with other callers' while a leader polls
      } else {
        writer.write(frame);
      }
    } catch (IOException e) {
      if (replies != null) {
        replies.readWhatArrived(); // a GOAWAY the server sent before closing says why
      }
      String g = goAway;
      lost(g != null ? g : "connection to " + peer + " lost while sending", e);
      return;
    }
    call.markSent();
  }

  /**
   * Best effort: the call ends one way or another even if this frame is lost. A cancel with a
   * grace is written at once (the server should hear of it as soon as possible); the note that a
   * released caller gave up is queued for a background flush, so cancelling thousands of calls
   * costs no system call per cancel.
   */
  void sendCancel(int id, boolean callerReleased, boolean deadline, long graceNanos) {
    if (failure != null) {
      return;
    }
    if (callerReleased) {
      releasedCalls.incrementAndGet();
      writer.writeSoon(w -> Frames.cancel(w, id, true, deadline, graceNanos));
      return;
    }
    try {
      writer.write(w -> Frames.cancel(w, id, false, deadline, graceNanos));
    } catch (IOException e) {
      lost("connection to " + peer + " lost while sending a cancel", e);
    }
  }

  void forget(PendingCall call) {
    pending.remove(call.id, call);
    if (!streams.isEmpty() && !StreamCalls.keepsStreams(call)) {
      streams.callEnded(call.id, "the call ended");
    }
    Runnable idle = onIdle;
    if (idle != null && pending.isEmpty()) {
      idle.run();
    }
  }

  /** Asks the server for the object {@code name}; returns the binding id for CALL frames. */
  int resolve(String name, String iface, List<String> signatures) {
    PendingCall call = register(new PendingCall(this, nextId(), "resolve " + name, Thread.currentThread()));
    ByteWriter w = FrameBuffers.acquire();
    try {
      Frames.resolve(w, call.id, name, iface, signatures, peerMaxFrameBytes);
      send(call, w);
    } catch (FrameTooLargeException e) {
      forget(call);
      throw new TetherException(ErrorCode.RESOURCE_EXHAUSTED, "resolving '" + name + "' as "
          + iface + " takes " + e.length() + " bytes, more than " + peer + " accepts (its "
          + "maxFrameBytes is " + e.limit() + ")", e);
    } finally {
      FrameBuffers.release(w);
    }
    long limit = options.connectTimeout().toNanos();
    Outcome o = call.await(PendingCall.CLOCK.nanoTime() + limit,
        CancelReason.of("no answer to resolving '" + name + "' within " + options.connectTimeout(), 0));
    return switch (o) {
      case Outcome.Resolved r -> r.binding();
      case Outcome.Error e -> throw RemoteErrors.plain(e.error());
      case Outcome.Failed f -> throw f.cause();
      case Outcome.Cancelled c -> throw new TetherException(ErrorCode.UNAVAILABLE, c.reason().message());
      case Outcome.Returned r ->
          throw new TetherException(ErrorCode.PROTOCOL_ERROR, "unexpected answer to RESOLVE from " + peer);
    };
  }

  /** The connection is broken for protocol reasons: tell the peer, then fail. */
  void protocolError(String message, Throwable cause) {
    sendGoAway(ErrorCode.PROTOCOL_ERROR, message);
    if (failWith(() -> new ConnectionClosedException("protocol error from " + peer + ": "
        + message, cause))) {
      ClientCallTrace.LOG.log(System.Logger.Level.WARNING, () -> "protocol error from " + peer
          + ": " + message + "; connection closed");
    }
  }

  private void sendGoAway(ErrorCode code, String message) {
    try {
      writer.write(w -> Frames.goAway(w, code, message));
    } catch (IOException ignored) {
      // the connection is going away anyway
    }
  }

  ReplyReader replies() {
    return replies;
  }

  /** A frame arrived (for liveness). */
  void heard() {
    liveness.heard(Clock.system().nanoTime());
  }

  /** A PONG arrived. */
  void pong(long value) {
    liveness.pong(value);
  }

  /**
   * True once the peer closed its end (or the link broke) while the owner decides how to fail
   * the calls: nobody may read any more.
   */
  boolean streamEnded() {
    return streamEnded;
  }

  /** True while calls are pending or streams are open (someone must read their frames). */
  boolean hasPending() {
    return !pending.isEmpty() || !streams.isEmpty();
  }

  /** The connection's byte streams. */
  StreamTable streams() {
    return streams;
  }

  /** Reading stopped: at the end of the stream ({@code e} null) or because of {@code e}. */
  void readEnded(Exception e) {
    if (e instanceof ProtocolException) {
      protocolError(e.getMessage(), e);
    } else {
      lost(goAway != null ? goAway
          : e == null ? "connection closed by " + peer : "connection to " + peer + " lost: " + e,
          e);
    }
  }

  /**
   * The link broke (reading or writing) or the peer closed it: without an observer, fail now;
   * with one, stop reading and let it decide how the calls fail (a dead worker's exit code).
   */
  private void lost(String message, Throwable cause) {
    synchronized (this) {
      if (streamEnded || failure != null) {
        return;
      }
      streamEnded = true;
    }
    if (observer == ConnectionObserver.NONE) {
      fail(message, cause);
    } else {
      Thread.ofVirtual().name("tether-stream-ended").start(
          () -> observer.streamEnded(this, message, cause));
    }
  }

  private void checkLiveness() {
    if (failure != null) {
      return;
    }
    consumers.tick();
    long now = Clock.system().nanoTime();
    switch (liveness.tick(now, hasPending())) {
      case NOTHING -> { }
      case SEND_PING -> {
        long value = liveness.pingValue();
        writer.writeSoon(w -> Frames.ping(w, false, value));
      }
      case DEAD -> {
        String message = "no answer from " + peer + " to a liveness ping for "
            + liveness.unansweredMillis(now) + " ms (ping every " + options.pingInterval()
            + " of silence, timeout " + options.pingTimeout() + ")";
        failWith(() -> new LivenessLostException(message));
      }
    }
  }

  /** Marks the connection failed, closes it and fails every pending call. Idempotent. */
  void fail(String message, Throwable cause) {
    failWith(() -> new ConnectionClosedException(message, cause));
  }

  /**
   * Marks the connection failed, closes it and fails every pending call with an exception from
   * {@code failure} (one per call; later calls get new ones too). Idempotent: the first failure
   * wins. Tells the observer.
   *
   * @return true when this call failed it (false: it had failed or closed already)
   */
  public boolean failWith(Supplier<? extends TetherException> failure) {
    Failure f = new Failure(failure);
    synchronized (this) {
      if (this.failure != null) {
        return false;
      }
      this.failure = f;
    }
    ClientCallTrace.LOG.log(System.Logger.Level.DEBUG, () -> "connection to " + peer
        + " closed: " + f.exception().getMessage());
    if (heartbeat != null) {
      heartbeat.cancel(false);
    }
    link.close();
    streams.failAll(f::exception);
    // the owner first (it takes a worker out of service), so that a caller whose call fails
    // below and who calls again at once is already sent elsewhere
    observer.failed(this, f.exception());
    List<PendingCall> calls = new ArrayList<>(pending.values());
    for (PendingCall c : calls) {
      c.complete(new Outcome.Failed(f.exception()));
    }
    Runnable idle = onIdle;
    if (idle != null) {
      idle.run();
    }
    return true;
  }

  /**
   * Throws what a call on this connection would throw if it is closed, failed or going away.
   *
   * @throws ConnectionClosedException saying why the connection cannot be used
   */
  public void throwIfUnusable() {
    TetherException e = unusable();
    if (e != null) {
      throw e;
    }
  }

  /** The exception for a call made on an unusable connection, or null when it is usable. */
  public TetherException unusable() {
    Failure f = failure;
    if (f != null) {
      return f.exception();
    }
    String g = goAway;
    return g == null ? null : new ConnectionClosedException(g, null);
  }

  /** Closes the connection; pending calls fail with {@link ConnectionClosedException}. */
  @Override
  public void close() {
    close("connection closed by this client");
  }

  /** Closes the connection; pending calls fail with a {@link ConnectionClosedException} saying {@code why}. */
  public void close(String why) {
    fail(why, null);
    if (replies != null) {
      replies.close(1000);
    }
  }

  /** The call {@code id} if it is still pending, else null. */
  PendingCall pendingCall(int id) {
    return pending.get(id);
  }

  /** An answer arrived for a call that had already ended. */
  void lateAnswer() {
    lateAnswers.incrementAndGet();
  }

  /** Answers the server's PING. */
  void sendPong(long value) {
    try {
      writer.write(w -> Frames.ping(w, true, value));
    } catch (IOException e) {
      lost("connection to " + peer + " lost while answering a ping", e);
    }
  }

  /** The server said GOAWAY: no new calls; for anything but a shutdown, the connection is over. */
  void goingAway(ErrorCode code, String message) {
    goAway = "server " + peer + " is going away (" + code
        + (message == null ? "" : ": " + message) + ")";
    if (code != ErrorCode.UNAVAILABLE) {
      fail(goAway, null);
    }
  }
}
