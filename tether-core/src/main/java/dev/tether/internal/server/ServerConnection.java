package dev.tether.internal.server;

import dev.tether.CallOutcome;
import dev.tether.ErrorCode;
import dev.tether.internal.cancel.CancelNode;
import dev.tether.internal.cancel.CancelReason;
import dev.tether.internal.cancel.Timers;
import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.stream.StreamTable;
import dev.tether.internal.time.Clock;
import dev.tether.internal.transport.Lingering;
import dev.tether.internal.transport.Link;
import dev.tether.internal.transport.PeerCredentials;
import dev.tether.internal.wire.AuthenticationException;
import dev.tether.internal.wire.ByteBudget;
import dev.tether.internal.wire.FrameKind;
import dev.tether.internal.wire.FrameReader;
import dev.tether.internal.wire.FrameWriter;
import dev.tether.internal.wire.Frames;
import dev.tether.internal.wire.ProtocolException;
import dev.tether.TetherException;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The server end of one client connection: the handshake, the bindings the client resolved, and
 * the calls being served. A reader thread parses frames and runs each call inline when
 * {@link InlinePolicy} says it will be quick, else hands it to the server's {@link CallExecutor},
 * so a slow call never delays others. After a second without a frame and with nothing owed, the
 * reader parks the connection in the server's {@link ConnectionParker} and ends; the next frame
 * starts a reader again ({@link #resume}). However the connection ends (the client leaves or says
 * GOAWAY, a protocol error, a failed write, the server closes), {@link #close} runs once: every
 * call still running is cancelled and becomes an orphan, and the server stops counting it.
 *
 * <p>Its parts: {@link ServerFrameHandler} acts on each frame (handshake, RESOLVE, the admission
 * of each CALL), {@link CallAnswers} writes the answers, and this class keeps the connection's
 * books (the calls running, answers owed, the drain) and its reader's life (inline calls,
 * parking, closing).
 */
final class ServerConnection implements InlinePolicy.Reader, IdleWakeups.Waiter {
  final ServerCore server;
  final Link link;
  final FrameReader reader;
  /** Frames read, arguments of running calls, answers queued: at the limit, reading stops. */
  final ByteBudget budget;
  private final FrameWriter writer;
  final CancelNode connectionNode = CancelNode.create(null, null, 0);
  final ConcurrentHashMap<Integer, ServerCall> calls = new ConcurrentHashMap<>();
  volatile String peer;
  /** Set once, by the one {@link #close} that does the closing. */
  final AtomicBoolean closed = new AtomicBoolean();
  /** The client said GOAWAY: the read loop ends and closes the connection. */
  volatile boolean clientLeft;
  volatile boolean draining;
  /** Why later calls are refused while draining. */
  volatile String drainReason = "server shutting down";
  /** When the last frame arrived, for the idle timeout. */
  private volatile long lastFrameNanos = Clock.system().nanoTime();
  int peerMaxFrameBytes = FrameKind.DEFAULT_MAX_FRAME_BYTES;
  private final ScheduledFuture<?> handshakeTimeout;
  private final ServerFrameHandler handler;
  /** This connection's reader as {@link IdleWakeups} sees it. */
  private final IdleWakeups.Slot idleSlot;
  /** Writes the answers that end this connection's calls. */
  final CallAnswers answers = new CallAnswers(this);
  final ServerHandshake handshake; // reader thread only
  private final AtomicReference<Object> inline = new AtomicReference<>();
  CallRunner nextInline; // the thread reading the connection only (see ArgumentReads)
  /** Calls finished whose answer is being written: they still count as running for the drain. */
  private final AtomicInteger answering = new AtomicInteger();
  /** Byte streams of calls (see {@link CallStreams}). */
  final StreamTable streams;
  /** Methods reading argument streams read the connection themselves (see ArgumentReads). */
  final ArgumentReads argumentReads;
  /** Set by {@link #closeGracefully}: the close half-closes and lingers (see {@link #close}). */
  private volatile boolean closingGracefully;
  /**
   * Who closes the link after a graceful close: {@link #LINGER_UNDECIDED}, then either
   * {@link #LINGER_BY_READER} (the closer left it to the reader, which reads until the client's
   * end first) or {@link #READER_GONE} (the reader ended first: the closer closes it at once).
   */
  private final AtomicInteger linger = new AtomicInteger();
  private static final int LINGER_UNDECIDED = 0;
  private static final int LINGER_BY_READER = 1;
  private static final int READER_GONE = 2;

  ServerConnection(ServerCore server, Link link) {
    this(server, link, null);
  }

  /** {@code unixPeer}: the kernel's credentials of a Unix peer (checked on accept), or null. */
  ServerConnection(ServerCore server, Link link, PeerCredentials unixPeer) {
    this.server = server;
    this.link = link;
    this.idleSlot = new IdleWakeups.Slot(link);
    this.budget = server.budget().child(server.options().connectionBufferBytes());
    this.reader = new FrameReader(link, server.options().maxFrameBytes(), budget,
        FrameKind.MAX_HANDSHAKE_FRAME_BYTES, server.penalty());
    this.writer = new FrameWriter(link, e -> close("connection to " + link.peer() + " lost: " + e),
        budget);
    link.writeStallNanos(server.options().writeStallTimeout().toNanos());
    this.streams = new StreamTable(writer, e -> close("connection to " + link.peer() + " lost: "
        + e), () -> peerMaxFrameBytes, server.options().streamWindowBytes(), link.isNetwork(),
        server.options().spinNanos());
    streams.onRemoved(this::closeIfDrained); // a result stream done may end a drain
    reader.readChunksInto(streams.chunkBuffers()); // stream chunks: socket to direct buffer
    this.peer = link.peer();
    this.handshakeTimeout =
        Timers.schedule(this::handshakeTimedOut, server.options().handshakeTimeout().toNanos());
    this.handler = new ServerFrameHandler(this, handshakeTimeout);
    this.argumentReads = new ArgumentReads(this, reader, handler, link,
        server.options().spinNanos());
    streams.readBy(argumentReads);
    this.handshake = new ServerHandshake(link, unixPeer, server.options(), server.authFailures(),
        this::send);
  }

  String peer() {
    return peer;
  }

  /** A call's frame of {@code bytes} was read and then refused for its size: see RefusalPenalty. */
  void refusedForSize(long bytes) {
    server.penalty().refused(bytes);
  }

  /** A call's frame charged provisionally to the RefusalPenalty turned out acceptable. */
  void refundPenalty(long bytes) {
    server.penalty().refund(bytes);
  }

  ServerOptions options() {
    return server.options();
  }

  /** Where this server's listener callbacks run when not on a call thread. */
  ListenerDispatch listenerDispatch() {
    return server.listenerDispatch();
  }

  /**
   * Calls whose caller still waits for the answer: running, or finished with the answer not yet
   * written, plus result streams still sending (their caller still waits for data). Orphans do
   * not count (their answers are dropped anyway). Reads {@link #calls} before
   * {@link #answering}: a finishing call enters {@code answering} before it leaves {@code calls},
   * so it is seen in one or the other (the other order could miss it and close the connection
   * ahead of its answer).
   */
  int callsAwaitingAnswers() {
    int n = 0;
    for (ServerCall c : calls.values()) {
      n += c.wasCallerReleased() ? 0 : 1;
    }
    return n + answering.get() + streams.outboundOpen(); // result streams owe data too
  }

  /** Reads until the client goes away. Runs on the connection's first reader thread. */
  void serve() {
    readLoop();
  }

  /**
   * Right after accept: hands the connection to the server's parker until the peer sends its
   * first bytes, so a peer that connects and says nothing holds no thread and no buffer, only its
   * descriptors, until the handshake timeout closes it. The link keeps its selector: were it
   * released here, the reader would need new descriptors when the peer speaks, and with
   * descriptors exhausted it would fail after accepting instead of the accept waiting (in the
   * kernel's backlog) for descriptors to come back. False when the link cannot be watched so
   * (then the caller starts the reader). On the accepting thread, before any reader exists.
   */
  boolean parkUntilItSpeaks() {
    var channel = link.watchable();
    if (channel == null) {
      return false;
    }
    return handToParker(channel);
  }

  /**
   * The handshake timeout: closing the link ends a reader's wait (it then closes the connection);
   * a connection still parked, with no reader, is closed here. Never blocks (timer thread): the
   * link is closed first, so nothing below can wait on it.
   */
  private void handshakeTimedOut() {
    server.connectionFailed();
    link.close();
    if (parked.get()) {
      close("no handshake from " + peer + " within "
          + server.options().handshakeTimeout().toMillis() + " ms");
    }
  }

  /**
   * The reader's loop. A call that {@link InlinePolicy} judges fast runs right here on the reader
   * thread, saving a thread hand-off; if it turns out slow, the policy's watchdog starts another
   * thread on this loop ({@link #takeOverIfStuck}) and this one leaves it when the call ends.
   */
  private void readLoop() {
    String why = "client " + peer + " disconnected";
    try {
      while (!closed.get() && !clientLeft) {
        int r = awaitFrame();
        if (r == FrameReader.END) {
          break;
        }
        if (r == FrameReader.NONE) {
          if (handler.helloSeen ? tryPark() : parkMidHandshake()) {
            return; // the parker resumes the connection on a new thread when it speaks
          }
          continue;
        }
        lastFrameNanos = Clock.system().nanoTime();
        if (reader.hasBufferedFrame()) {
          writer.cork(); // more frames already read: their answers go out with this one's
        }
        CallRunner runner = nextInline;
        if (runner != null) {
          nextInline = null;
          InlineRun run = new InlineRun(runner.call(), Clock.system().nanoTime());
          inline.set(run);
          server.inline().started();
          runner.run();
          if (!inline.compareAndSet(run, null)) {
            if (Clock.system().nanoTime() - run.startNanos >= InlinePolicy.HUNG_NANOS) {
              run.call.method.inline().hung(); // not a preempted reader: the method
            }
            return; // taken over: another thread reads now and will close
          }
        }
      }
      if (clientLeft) {
        why = "client " + peer + " went away";
      }
    } catch (ProtocolException e) {
      why = "protocol error from " + peer + ": " + e.getMessage();
      sendGoAway(e instanceof AuthenticationException ? ErrorCode.UNAUTHENTICATED
          : ErrorCode.PROTOCOL_ERROR, e.getMessage());
      if (!closed.get()) {
        ConnectionLog.protocolError(peer, e.getMessage());
        server.connectionFailed();
      }
    } catch (IOException e) {
      if (!handler.helloSeen) {
        why = "no handshake from " + link.peer();
      }
      if (e instanceof java.io.EOFException) { // it stopped inside a frame: a failed connection
        why = "client " + peer + " went away in the middle of a frame";
        server.connectionFailed();
      }
    } catch (Throwable e) { // a bug or an Error: still free the connection, then report it
      readerFailed(e);
      throw e;
    }
    reader.release();
    handshakeTimeout.cancel(false);
    close(why);
    if (linger.getAndSet(READER_GONE) == LINGER_BY_READER) {
      Lingering.untilPeerEnds(link, server.options().drainTimeout().toNanos(), Clock.system());
    }
    link.close();
  }

  /**
   * The reader thread dies of {@code e} (an OutOfMemoryError, say): closes the link first, which
   * allocates nothing, so the descriptor is freed even if building a message fails, then gives
   * back the budget the reader held and closes the connection.
   */
  private void readerFailed(Throwable e) {
    link.close();
    reader.release();
    handshakeTimeout.cancel(false);
    try {
      close("reader of " + peer + " failed: " + e);
    } catch (Throwable again) {
      close("reader failed");
    }
  }

  /**
   * Waits for the next frame: polls for the spin time, then blocks until {@link #PARK_AFTER_NANOS}
   * have passed without a frame. Returns {@link FrameReader#FRAME} (dispatched),
   * {@link FrameReader#END}, or {@link FrameReader#NONE} when the wait ran out. Interrupts are
   * cleared, not obeyed (a reader is never meant to be interrupted).
   */
  private int awaitFrame() throws IOException, ProtocolException {
    if (!reader.hasBufferedFrame()) {
      writer.uncork(); // the answers held back go out before the reader reads or waits
    }
    long now = Clock.system().nanoTime();
    long spinEnd = now + server.options().spinNanos();
    long parkAt = now + (handler.helloSeen || link.watchable() == null ? PARK_AFTER_NANOS
        : HANDSHAKE_PARK_AFTER_NANOS);
    try {
      while (true) {
        Thread.interrupted();
        if (argumentReads.wanted()) { // a method waits to read its argument stream itself
          idleSlot.done(); // not waiting in the selector meanwhile: no sweep wakes it
          writer.uncork();
          int r = argumentReads.standAside();
          lastFrameNanos = Clock.system().nanoTime(); // it read frames meanwhile
          if (r != FrameReader.NONE || closed.get() || clientLeft) {
            return r == FrameReader.NONE ? FrameReader.FRAME : r; // the loop looks at why
          }
          now = lastFrameNanos;
          spinEnd = now + server.options().spinNanos();
          parkAt = now + PARK_AFTER_NANOS;
          continue;
        }
        boolean spinning = now - spinEnd < 0;
        long wait = spinning ? 0 : parkAt - now;
        if (wait <= 0 && !spinning) {
          return FrameReader.NONE;
        }
        if (!spinning && handler.helloSeen) { // untimed: the server's sweep wakes it at parkAt
          wait = server.idleWakeups().untimed(idleSlot, parkAt);
        }
        int r = reader.poll(handler, wait);
        if (r != FrameReader.NONE) {
          return r;
        }
        writer.uncork(); // a frame held back by the budget: never wait with answers held back
        if (closed.get()) {
          return FrameReader.NONE; // closed meanwhile: the loop ends (and lingers if asked to)
        }
        if (spinning) {
          Thread.yield(); // lets a thread waiting for this core (perhaps our peer) run first
        }
        now = Clock.system().nanoTime();
      }
    } finally {
      idleSlot.done();
    }
  }

  /** A reader with no frame for this long and nothing owed parks its connection. */
  static final long PARK_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);

  /**
   * Before the handshake is done, a reader waits only this long for the next frame before parking
   * the connection: a client sends its HELLO (and AUTH) at once, so a peer silent for longer is
   * slow or hostile, and must not hold a thread.
   */
  static final long HANDSHAKE_PARK_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  /** True while the connection is parked: no thread reads it, the server's parker watches it. */
  private final AtomicBoolean parked = new AtomicBoolean();

  /**
   * Parks the connection if it is idle: handshake done, no call running, inline or owing an
   * answer, and no partial frame. Frees the read and write buffers and the link's own selector,
   * then hands the channel to the server's {@link ConnectionParker}. Returns false, changing
   * nothing that matters, when the connection must keep its reader. On the reader thread only;
   * only the reader adds calls, so none can appear meanwhile.
   */
  private boolean tryPark() {
    if (!handler.helloSeen || !calls.isEmpty() || answering.get() > 0 || inline.get() != null
        || !streams.isEmpty()
        || nextInline != null || closed.get() || !reader.releaseBuffer()) {
      return false;
    }
    var channel = link.park();
    if (channel == null) {
      return false;
    }
    writer.trim();
    return handToParker(channel);
  }

  /**
   * Parks a connection whose peer went quiet during the handshake (part of a HELLO, or no AUTH
   * answer yet), keeping the bytes of its frame so far in an array of their size, so a peer that
   * stops mid-handshake holds no thread until the handshake timeout closes it. Its state is in
   * the handshake object and those bytes, none in the link, unless the link cannot be watched so
   * (TLS once its own handshake has begun): then false, and the reader stays.
   */
  private boolean parkMidHandshake() {
    var channel = link.watchable();
    if (channel == null || closed.get() || !reader.shrinkBuffer()) {
      return false;
    }
    return handToParker(channel);
  }

  /**
   * Marks the connection parked (publishing the reading thread's state to the thread that
   * resumes) and registers {@code channel} with the server's parker; false, and not parked, when
   * the parker cannot take it.
   */
  private boolean handToParker(java.nio.channels.SelectableChannel channel) {
    parked.set(true);
    if (!server.parker().park(this, channel)) {
      parked.set(false);
      return false;
    }
    if (closed.get()) { // closed while parking: no reader is left to linger
      link.close();
      server.parker().wakeup(); // let the descriptor go now
    }
    return true;
  }

  /**
   * The parked connection became readable (a frame or its end): a new reader thread takes over.
   * Called by the parker; does nothing unless parked. If no thread can be started, the
   * connection is closed.
   */
  void resume() {
    if (!parked.compareAndSet(true, false)) {
      return;
    }
    try {
      Thread.ofPlatform().daemon().name("tether-server-reader " + peer)
          .start(handler.helloSeen ? this::readLoop : this::serve);
    } catch (RuntimeException | OutOfMemoryError e) {
      close("no reader thread for " + peer + ": " + e);
    }
  }

  /** A call running inline on the reader thread since {@code startNanos}. */
  private record InlineRun(ServerCall call, long startNanos) {}

  private static final Object TAKEN_OVER = new Object();

  @Override
  public IdleWakeups.Slot idleSlot() {
    return idleSlot;
  }

  @Override
  public boolean takeOverIfStuck(long now, long limitNanos) {
    Object current = inline.get();
    if (!(current instanceof InlineRun run) || now - run.startNanos < limitNanos
        || !inline.compareAndSet(run, TAKEN_OVER)) {
      return current instanceof InlineRun;
    }
    run.call.method.inline().stuck();
    Thread.ofPlatform().daemon().name("tether-server-reader " + peer).start(() -> {
      inline.compareAndSet(TAKEN_OVER, null);
      readLoop();
    });
    return true;
  }

  /**
   * Tells the client no new calls will be accepted; running calls continue, and the connection
   * closes itself once the last answer its client waits for is written ({@link #closeIfDrained}).
   */
  void drain() {
    drain("server shutting down");
  }

  private void drain(String why) {
    drainReason = why;
    draining = true;
    sendGoAway(ErrorCode.UNAVAILABLE, why);
    closeIfDrained();
  }

  /**
   * Tells the client to go away and closes the connection if it has been idle since before
   * {@code now - idleNanos}: handshake done, no call running or owing an answer, no frame
   * received. A connection with pending calls is never idle. Called on the timer thread: the
   * GOAWAY and the close happen on a virtual thread. A call that arrives meanwhile is answered
   * UNAVAILABLE with the same reason.
   */
  void goAwayIfIdle(long now, long idleNanos) {
    if (closed.get() || draining || !handler.helloSeen || !calls.isEmpty() || answering.get() > 0
        || !streams.isEmpty() || now - lastFrameNanos < idleNanos) {
      return;
    }
    String why = "connection idle for " + TimeUnit.NANOSECONDS.toMillis(idleNanos)
        + " ms (the server's idleTimeout); connect again to make calls";
    drainReason = why;
    draining = true; // at most once; calls from now on are refused with that reason
    Thread.ofVirtual().name("tether-idle " + peer).start(() -> drain(why));
  }

  /** While draining, closes the connection once no caller waits for an answer from it. */
  private void closeIfDrained() {
    if (draining && !closed.get() && callsAwaitingAnswers() == 0) {
      closeGracefully("server shut down");
    }
  }

  /**
   * Writes out every frame already handed to the writer (bounded), then closes: the answers and
   * the GOAWAY sent before reach the client ahead of the end of the stream, and the link lingers
   * until the client's end (see {@link #close}).
   */
  void closeGracefully(String why) {
    try {
      writer.flushQueued(TimeUnit.SECONDS.toNanos(1));
    } catch (IOException e) {
      // the link broke: close below says why the calls end
    }
    closingGracefully = true;
    close(why);
  }

  /**
   * Closes the connection; calls still running are cancelled and become orphans. Idempotent and
   * safe from any thread: the first caller does it all, later ones return at once. A call
   * registered concurrently either is seen here or sees {@link #closed} itself (see
   * {@link ServerFrameHandler#call}). The link is closed at once, except after
   * {@link #closeGracefully} with a reader running: then it is half-closed and the reader reads
   * until the client's end, at most the drain timeout, before closing it ({@link Lingering}: a
   * close with unread input would reset the connection and could lose the last answers).
   */
  void close(String why) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ConnectionLog.closed(peer, why);
    if (closingGracefully && !parked.get() && link.shutdownOutput()
        && linger.compareAndSet(LINGER_UNDECIDED, LINGER_BY_READER)) {
      link.wakeupReader(); // it reads until the client's end, at most the drain timeout, and closes
    } else {
      link.close();
    }
    writer.discardQueued(); // answers nobody will read: free them now
    if (parked.get()) {
      server.parker().wakeup(); // its selector lets the closed channel's descriptor go
    }
    for (ServerCall c : calls.values()) {
      c.releaseCaller(server.orphans()); // nobody is left to answer
    }
    connectionNode.cancel(CancelReason.of(why, 0));
    streams.failAll(() -> new TetherException(ErrorCode.UNAVAILABLE, "the connection to " + peer
        + " closed: " + why));
    server.connectionClosed(this);
  }

  void protocolError(String message, Throwable cause) {
    if (!closed.get()) {
      ConnectionLog.protocolError(peer, message);
      server.connectionFailed();
    }
    sendGoAway(ErrorCode.PROTOCOL_ERROR, message);
    close("protocol error: " + message);
  }

  // ---- the ends of calls, from serving threads (their answers: CallAnswers) ----

  /** Calls on this connection now, for an incoming-call filter's view of the load. */
  int callsInFlight() {
    return calls.size();
  }

  CallGate gate() {
    return server.gate();
  }

  /** Ends a call without an answer (the connection is being closed). */
  void finished(ServerCall call) {
    if (finish(call, CallOutcome.FAILED, ErrorCode.UNAVAILABLE,
        "the connection closed before the call was answered", null)) {
      answered();
      observed(call);
    }
  }

  /**
   * Marks the call finished; false when no answer must be sent. When true, the caller must call
   * {@link #answered()} once the answer is written: until then the call counts as running, so a
   * drain does not close the connection ahead of the answer.
   */
  boolean finish(ServerCall call, CallOutcome how, ErrorCode code, String message,
      Throwable thrown) {
    if (!call.finish(server.orphans())) {
      return false;
    }
    server.gate().finished(call, call.refused);
    if (!streams.isEmpty() && (how != CallOutcome.OK || !call.method.codec().streamResult())) {
      streams.callEnded(call.id, "the call ended"); // its argument streams end with it
    }
    answering.incrementAndGet();
    calls.remove(call.id, call);
    budget.release(call.budgetBytes);
    call.node.close();
    if (call.wasCallerReleased() || closed.get()) {
      answered(); // the caller gave up or is gone: drop the answer
      if (call.trace != null) {
        call.trace.finished(call.wasCallerReleased() ? CallOutcome.FORCED : CallOutcome.FAILED,
            null, null, thrown);
        call.trace.end();
      }
      return false;
    }
    if (call.trace != null) {
      call.trace.finished(how, code, message, thrown);
    }
    return true;
  }

  /** After an answer was written: the call's observers hear of its end. */
  static void observed(ServerCall call) {
    if (call.trace != null) {
      call.trace.end();
    }
  }

  /** The answer of a finished call is written (or dropped). */
  void answered() {
    answering.decrementAndGet();
    server.callFinished();
    closeIfDrained();
  }

  void write(ByteWriter frame) {
    try {
      writer.write(frame);
    } catch (IOException e) {
      close("connection to " + peer + " lost: " + e.getMessage());
    }
  }

  void send(Consumer<ByteWriter> build) {
    try {
      writer.write(build);
    } catch (IOException e) {
      close("connection to " + peer + " lost: " + e.getMessage());
    }
  }

  private void sendGoAway(ErrorCode code, String message) {
    try {
      writer.uncork(); // the GOAWAY must not stay queued behind a close
      writer.write(w -> Frames.goAway(w, code, message));
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
