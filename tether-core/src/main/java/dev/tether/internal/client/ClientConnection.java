package dev.tether.internal.client;

import dev.tether.ConnectionClosedException;
import dev.tether.ErrorCode;
import dev.tether.TetherException;
import dev.tether.TetherOptions;
import dev.tether.internal.cancel.CancelReason;
import dev.tether.internal.cancel.Timers;
import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.wire.FrameBuffers;
import dev.tether.internal.wire.FrameReader;
import dev.tether.internal.wire.FrameTooLargeException;
import dev.tether.internal.wire.FrameWriter;
import dev.tether.internal.wire.Frames;
import dev.tether.internal.wire.ProtocolException;
import dev.tether.internal.transport.Link;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client end of one connection: the handshake, the table of pending calls, a reader thread
 * that hands each answer to its call, and liveness pings while calls are pending. Many threads
 * share it; calls are multiplexed by id, so a slow call never delays a fast one.
 *
 * <p>When the connection fails or closes, every pending call fails at once with
 * {@link ConnectionClosedException}, and later calls fail without waiting.
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
  private volatile long lastHeard = System.nanoTime();
  private ReplyReader replies;
  private ScheduledFuture<?> heartbeat;

  /** Why the connection is unusable; every caller gets its own exception built from it. */
  private record Failure(String message, Throwable cause) {
    ConnectionClosedException exception() {
      return new ConnectionClosedException(message, cause);
    }
  }

  private ClientConnection(Link link, TetherOptions options) {
    this.link = link;
    this.options = options;
    this.reader = new FrameReader(link, options.maxFrameBytes());
    this.writer = new FrameWriter(link,
        e -> fail("connection to " + link.peer() + " lost while sending", e));
    this.peer = link.peer();
  }

  /**
   * Performs the handshake on {@code link} and starts reading. Closes the link and throws when the
   * peer does not answer in time or is not a Tether server.
   */
  public static ClientConnection open(Link link, TetherOptions options) throws IOException {
    ClientConnection c = new ClientConnection(link, options);
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
    return c;
  }

  private void handshake() throws IOException, ProtocolException {
    ClientHandshake.Result r = ClientHandshake.perform(link, reader, writer, options);
    peerMaxFrameBytes = r.maxFrameBytes();
    peer = r.peer();
  }

  private void start() {
    replies = new ReplyReader(this, reader, link, new AnswerHandler(this), options.spin().toNanos());
    long interval = options.pingInterval().toNanos();
    heartbeat = Timers.scheduleAtFixedRate(this::checkLiveness, interval);
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
      writer.write(frame);
    } catch (IOException e) {
      if (replies != null) {
        replies.readWhatArrived(); // a GOAWAY the server sent before closing says why
      }
      String g = goAway;
      fail(g != null ? g : "connection to " + peer + " lost while sending", e);
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
      writer.writeSoon(w -> Frames.cancel(w, id, true, deadline, graceNanos));
      return;
    }
    try {
      writer.write(w -> Frames.cancel(w, id, false, deadline, graceNanos));
    } catch (IOException e) {
      fail("connection to " + peer + " lost while sending a cancel", e);
    }
  }

  void forget(PendingCall call) {
    pending.remove(call.id, call);
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
    fail("protocol error from " + peer + ": " + message, cause);
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
    lastHeard = System.nanoTime();
  }

  /** True while calls are pending. */
  boolean hasPending() {
    return !pending.isEmpty();
  }

  /** Reading stopped: at the end of the stream ({@code e} null) or because of {@code e}. */
  void readEnded(Exception e) {
    if (e instanceof ProtocolException) {
      protocolError(e.getMessage(), e);
    } else if (e == null) {
      fail(goAway != null ? goAway : "connection closed by " + peer, null);
    } else {
      fail(goAway != null ? goAway : "connection to " + peer + " lost: " + e, e);
    }
  }

  private void checkLiveness() {
    if (failure != null) {
      return;
    }
    long silent = System.nanoTime() - lastHeard;
    long interval = options.pingInterval().toNanos();
    if (pending.isEmpty() || silent < interval) {
      return;
    }
    if (silent >= interval + options.pingTimeout().toNanos()) {
      fail("no answer from " + peer + " for " + (silent / 1_000_000) + " ms (liveness ping timed out)",
          null);
      return;
    }
    writer.writeSoon(w -> Frames.ping(w, false, System.nanoTime()));
  }

  /** Marks the connection failed, closes it and fails every pending call. Idempotent. */
  void fail(String message, Throwable cause) {
    synchronized (this) {
      if (failure != null) {
        return;
      }
      failure = new Failure(message, cause);
    }
    if (heartbeat != null) {
      heartbeat.cancel(false);
    }
    link.close();
    List<PendingCall> calls = new ArrayList<>(pending.values());
    for (PendingCall c : calls) {
      c.complete(new Outcome.Failed(failure.exception()));
    }
  }

  /** Fails the connection for a reason found outside it (for example the peer process died). */
  public void failFromOutside(String message) {
    fail(message, null);
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
  TetherException unusable() {
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
    fail("connection closed by this client", null);
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
      fail("connection to " + peer + " lost while answering a ping", e);
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
