package dev.tether.internal.server;

import dev.tether.CallOutcome;
import dev.tether.ErrorCode;
import dev.tether.internal.cancel.CancelNode;
import dev.tether.internal.cancel.CancelReason;
import dev.tether.internal.cancel.Timers;
import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.codec.MethodCodec;
import dev.tether.internal.stream.OutboundStream;
import dev.tether.internal.stream.StreamTable;
import dev.tether.internal.time.Clock;
import dev.tether.internal.time.Deadline;
import dev.tether.internal.transport.Link;
import dev.tether.internal.transport.PeerCredentials;
import dev.tether.internal.wire.AuthenticationException;
import dev.tether.internal.wire.ByteBudget;
import dev.tether.internal.wire.FrameBuffers;
import dev.tether.internal.wire.FrameHandler;
import dev.tether.internal.wire.FrameKind;
import dev.tether.internal.wire.FrameReader;
import dev.tether.internal.wire.FrameTooLargeException;
import dev.tether.internal.wire.FrameWriter;
import dev.tether.internal.wire.MetadataPayload;
import dev.tether.internal.wire.Frames;
import dev.tether.internal.wire.ProtocolException;
import dev.tether.internal.wire.RemoteError;
import dev.tether.internal.wire.StreamFrames;
import dev.tether.TetherException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
 */
final class ServerConnection implements InlinePolicy.Reader {
  /** What the client resolved: the served method for each of its method indexes. */
  private record Binding(ServedMethod[] methods, boolean admin) {}

  private final ServerCore server;
  private final Link link;
  private final FrameReader reader;
  /** Frames read, arguments of running calls, answers queued: at the limit, reading stops. */
  private final ByteBudget budget;
  private final FrameWriter writer;
  private final CancelNode connectionNode = CancelNode.create(null, null, 0);
  private final ConcurrentHashMap<Integer, ServerCall> calls = new ConcurrentHashMap<>();
  private final List<Binding> bindings = new ArrayList<>(); // reader thread only
  private volatile String peer;
  /** Set once, by the one {@link #close} that does the closing. */
  private final AtomicBoolean closed = new AtomicBoolean();
  /** The client said GOAWAY: the read loop ends and closes the connection. */
  private volatile boolean clientLeft;
  private volatile boolean draining;
  /** Why later calls are refused while draining. */
  private volatile String drainReason = "server shutting down";
  /** When the last frame arrived, for the idle timeout. */
  private volatile long lastFrameNanos = Clock.system().nanoTime();
  private int peerMaxFrameBytes = FrameKind.DEFAULT_MAX_FRAME_BYTES;
  private final ScheduledFuture<?> handshakeTimeout;
  private final Handler handler;
  private final ServerHandshake handshake; // reader thread only
  private final AtomicReference<Object> inline = new AtomicReference<>();
  private CallRunner nextInline; // reader thread only
  /** Calls finished whose answer is being written: they still count as running for the drain. */
  private final AtomicInteger answering = new AtomicInteger();
  /** Byte streams of calls (see {@link CallStreams}). */
  final StreamTable streams;

  ServerConnection(ServerCore server, Link link) {
    this(server, link, null);
  }

  /** {@code unixPeer}: the kernel's credentials of a Unix peer (checked on accept), or null. */
  ServerConnection(ServerCore server, Link link, PeerCredentials unixPeer) {
    this.server = server;
    this.link = link;
    this.budget = server.budget().child(server.options().connectionBufferBytes());
    this.reader = new FrameReader(link, server.options().maxFrameBytes(), budget,
        FrameKind.MAX_HANDSHAKE_FRAME_BYTES, server.penalty());
    this.writer = new FrameWriter(link, e -> close("connection to " + link.peer() + " lost: " + e),
        budget);
    link.writeStallNanos(server.options().writeStallTimeout().toNanos());
    this.streams = new StreamTable(writer, e -> close("connection to " + link.peer() + " lost: "
        + e), () -> peerMaxFrameBytes, server.options().streamWindowBytes(),
        server.options().spinNanos());
    this.peer = link.peer();
    this.handshakeTimeout =
        Timers.schedule(this::handshakeTimedOut, server.options().handshakeTimeout().toNanos());
    this.handler = new Handler(handshakeTimeout);
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
   * written. Orphans do not count (their answers are dropped anyway). Reads {@link #calls} before
   * {@link #answering}: a finishing call enters {@code answering} before it leaves {@code calls},
   * so it is seen in one or the other (the other order could miss it and close the connection
   * ahead of its answer).
   */
  int callsAwaitingAnswers() {
    int n = 0;
    for (ServerCall c : calls.values()) {
      n += c.wasCallerReleased() ? 0 : 1;
    }
    return n + answering.get();
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
          if (tryPark()) {
            return; // the parker resumes the connection on a new thread when it speaks
          }
          continue;
        }
        lastFrameNanos = Clock.system().nanoTime();
        CallRunner runner = nextInline;
        if (runner != null) {
          nextInline = null;
          InlineRun run = new InlineRun(runner.call(), Clock.system().nanoTime());
          inline.set(run);
          server.inline().started();
          runner.run();
          if (!inline.compareAndSet(run, null)) {
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
    long now = Clock.system().nanoTime();
    long spinEnd = now + server.options().spinNanos();
    long parkAt = now + PARK_AFTER_NANOS;
    while (true) {
      Thread.interrupted();
      boolean spinning = now - spinEnd < 0;
      long wait = spinning ? 0 : parkAt - now;
      if (wait <= 0 && !spinning) {
        return FrameReader.NONE;
      }
      int r = reader.poll(handler, wait);
      if (r != FrameReader.NONE) {
        return r;
      }
      if (spinning) {
        Thread.yield(); // lets a thread waiting for this core (perhaps our peer) run first
      }
      now = Clock.system().nanoTime();
    }
  }

  /** A reader with no frame for this long and nothing owed parks its connection. */
  static final long PARK_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);

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
    if (closed.get()) {
      server.parker().wakeup(); // closed while parking: let the descriptor go now
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
   * the GOAWAY sent before reach the client ahead of the end of the stream.
   */
  void closeGracefully(String why) {
    try {
      writer.flushQueued(TimeUnit.SECONDS.toNanos(1));
    } catch (IOException e) {
      // the link broke: close below says why the calls end
    }
    close(why);
  }

  /**
   * Closes the connection; calls still running are cancelled and become orphans. Idempotent and
   * safe from any thread: the first caller does it all, later ones return at once. A call
   * registered concurrently either is seen here or sees {@link #closed} itself (see
   * {@link Handler#call}).
   */
  void close(String why) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ConnectionLog.closed(peer, why);
    link.close();
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

  // ---- answers, from serving threads ----

  void answerResult(ServerCall call, Object value) {
    if (!finish(call, CallOutcome.OK, null, null, null)) {
      if (call.method.codec().streamResult()) {
        CallStreams.dropResult(streams, call, value);
      }
      return;
    }
    try {
      writeResult(call, value);
    } catch (Throwable t) { // even the error frame failed (out of memory): a bare one
      sendBareError(call, t);
    } finally {
      answered();
      observed(call);
    }
  }

  private void writeResult(ServerCall call, Object value) {
    MethodCodec codec = call.method.codec();
    OutboundStream stream = null;
    if (codec.streamResult()) {
      if (value == null) {
        streams.callEnded(call.id, "the call ended");
      } else {
        stream = CallStreams.sendResult(streams, call, value, connectionNode);
      }
    }
    ByteWriter w = FrameBuffers.acquire();
    try {
      Frames.beginResult(w, call.id);
      codec.encodeResult(w, value);
      if (stream != null) {
        StreamFrames.markResultStream(w);
      }
      Frames.end(w, peerMaxFrameBytes);
    } catch (FrameTooLargeException e) {
      Frames.error(w, call.id, ErrorCode.RESOURCE_EXHAUSTED, "the result of " + call.methodName()
          + " is " + e.length() + " bytes, more than the client accepts (its maxFrameBytes is "
          + e.limit() + ")", null, peerMaxFrameBytes);
    } catch (Throwable e) { // a value the codec refuses, or an Error: the caller still hears
      String why = "the result of " + call.methodName() + " cannot be sent: " + e;
      Frames.error(w, call.id, e instanceof OutOfMemoryError ? ErrorCode.RESOURCE_EXHAUSTED
          : ErrorCode.REMOTE_EXCEPTION, why, new IllegalStateException(why, e), peerMaxFrameBytes);
    }
    try {
      if (call.trace != null) {
        call.trace.sent(w.size());
      }
      write(w);
    } finally {
      FrameBuffers.release(w);
    }
    if (stream != null) {
      stream.start(); // sends nothing before the caller's first credit, so after the RESULT
    }
  }

  void answerError(ServerCall call, ErrorCode code, String message, Throwable thrown) {
    if (!finish(call, CallOutcome.ERROR, code, message, thrown)) {
      return;
    }
    try {
      send(w -> Frames.error(w, call.id, code, message, thrown, peerMaxFrameBytes));
    } catch (Throwable t) { // the error's own frame failed (out of memory, say): a bare one
      sendBareError(call, t);
    } finally {
      answered();
      observed(call);
    }
  }

  /**
   * Refuses {@code call} before dispatch: an ERROR flagged refused, so its caller knows the method
   * never started and may retry (see {@link CallGate}).
   */
  void answerRefused(ServerCall call, Refusal r) {
    call.refused = true;
    if (!finish(call, r.code() == ErrorCode.REJECTED ? CallOutcome.REJECTED : CallOutcome.BUSY,
        r.code(), r.message(), null)) {
      return;
    }
    try {
      send(w -> Frames.refusal(w, call.id, r.code(), r.message(), r.retryAfterNanos(),
          peerMaxFrameBytes));
    } catch (Throwable t) { // the frame failed (out of memory, say): a bare error
      sendBareError(call, t);
    } finally {
      answered();
      observed(call);
    }
  }

  /** Calls on this connection now, for an incoming-call filter's view of the load. */
  int callsInFlight() {
    return calls.size();
  }

  CallGate gate() {
    return server.gate();
  }

  void answerCancelled(ServerCall call) {
    CancelReason r = call.node.reason();
    if (!finish(call, r != null && r.deadline() ? CallOutcome.DEADLINE : CallOutcome.CANCELLED,
        null, null, null)) {
      return;
    }
    try {
      send(w -> Frames.cancelAck(w, call.id, r == null ? null : r.message(),
          r != null && r.deadline()));
    } finally {
      answered();
      observed(call);
    }
  }

  /** The last resort after building an answer threw: an error frame with a constant message. */
  private void sendBareError(ServerCall call, Throwable t) {
    ErrorCode code = t instanceof OutOfMemoryError ? ErrorCode.RESOURCE_EXHAUSTED
        : ErrorCode.INTERNAL;
    try {
      send(w -> Frames.error(w, call.id, code, "the server failed to answer", null,
          peerMaxFrameBytes));
    } catch (Throwable again) {
      close("cannot answer call " + call.id); // the caller learns at least that much
    }
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
  private boolean finish(ServerCall call, CallOutcome how, ErrorCode code, String message,
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
  private static void observed(ServerCall call) {
    if (call.trace != null) {
      call.trace.end();
    }
  }

  /** The answer of a finished call is written (or dropped). */
  private void answered() {
    answering.decrementAndGet();
    server.callFinished();
    closeIfDrained();
  }

  private void write(ByteWriter frame) {
    try {
      writer.write(frame);
    } catch (IOException e) {
      close("connection to " + peer + " lost: " + e.getMessage());
    }
  }

  private void send(Consumer<ByteWriter> build) {
    try {
      writer.write(build);
    } catch (IOException e) {
      close("connection to " + peer + " lost: " + e.getMessage());
    }
  }

  private void sendGoAway(ErrorCode code, String message) {
    try {
      writer.write(w -> Frames.goAway(w, code, message));
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  private final class Handler implements FrameHandler {
    private final ScheduledFuture<?> handshakeTimeout;
    volatile boolean helloSeen;

    Handler(ScheduledFuture<?> handshakeTimeout) {
      this.handshakeTimeout = handshakeTimeout;
    }

    private void requireHello() throws ProtocolException {
      if (!helloSeen) {
        throw new ProtocolException("expected HELLO first");
      }
    }

    @Override
    public void hello(int version, int maxFrameBytes, String who, int flags)
        throws ProtocolException {
      if (helloSeen || !handshake.awaitsHello()) {
        throw new ProtocolException("second HELLO");
      }
      if (version < FrameKind.MIN_VERSION) {
        throw new ProtocolException("client speaks protocol version " + version
            + "; this server speaks " + FrameKind.MIN_VERSION + ".." + FrameKind.VERSION);
      }
      peerMaxFrameBytes = maxFrameBytes;
      peer = who + " at " + link.peer();
      if (handshake.hello(version, maxFrameBytes, who, flags)) {
        established();
      }
    }

    @Override
    public void auth(int step, String keyId, byte[] value) throws ProtocolException {
      if (helloSeen || handshake.awaitsHello()) {
        throw new ProtocolException("unexpected AUTH frame");
      }
      if (handshake.auth(step, keyId, value)) {
        established();
      }
    }

    /** The peer is who it must be: frames up to the full limit, calls, the caller's identity. */
    private void established() {
      connectionNode.attach(handshake.identity()); // before any call node is created under it
      helloSeen = true;
      reader.handshakeDone();
      handshakeTimeout.cancel(false);
    }

    @Override
    public void resolve(int callId, String name, String iface, List<String> signatures)
        throws ProtocolException {
      requireHello();
      ExportedObject object = server.export(name);
      ByteWriter w = FrameBuffers.acquire();
      try {
        if (object != null && server.isAdmin(object) && !handshake.identity().isAuthenticated()) {
          Frames.error(w, callId, ErrorCode.UNAUTHENTICATED, "'" + name + "' is served only to "
              + "authenticated peers, and this connection is plain TCP nobody authenticated",
              null, peerMaxFrameBytes);
        } else if (object == null) {
          Frames.error(w, callId, ErrorCode.NOT_FOUND, "no object exported as '" + name
              + "' (exported: " + server.exportNames() + ")", null, peerMaxFrameBytes);
        } else {
          ServedMethod[] methods = new ServedMethod[signatures.size()];
          List<String> missing = new ArrayList<>();
          for (int i = 0; i < methods.length; i++) {
            int index = object.schema().indexOfSignature(signatures.get(i));
            if (index < 0) {
              missing.add(signatures.get(i));
            } else {
              methods[i] = object.method(index);
            }
          }
          if (missing.isEmpty()) {
            bindings.add(new Binding(methods, server.isAdmin(object)));
            Frames.resolved(w, callId, bindings.size() - 1);
          } else {
            Frames.error(w, callId, ErrorCode.INCOMPATIBLE, "'" + name + "' is exported as "
                + object.schema().type().getName() + ", which lacks or differs in " + missing
                + " of the client's " + iface, null, peerMaxFrameBytes);
          }
        }
        write(w);
      } finally {
        FrameBuffers.release(w);
      }
    }

    @Override
    public void call(int callId, int bindingId, int methodIndex, long deadlineNanos, byte[] body,
        int argsOffset) throws ProtocolException {
      requireHello();
      if (bindingId >= bindings.size()) {
        throw new ProtocolException("CALL on unknown binding " + bindingId);
      }
      Binding b = bindings.get(bindingId);
      if (methodIndex >= b.methods.length) {
        throw new ProtocolException("CALL of unknown method " + methodIndex);
      }
      Deadline deadline = deadlineNanos < 0 ? null : Deadline.after(deadlineNanos, Clock.system());
      ServerCall call = new ServerCall(ServerConnection.this, callId, b.methods[methodIndex],
          CancelNode.create(connectionNode, deadline, 0));
      if ((body[1] & FrameKind.FLAG_METADATA) != 0) { // rare: only calls that carry metadata
        MetadataPayload.Read md = MetadataPayload.read(body, argsOffset);
        call.metadata = md.metadata();
        argsOffset = md.argsOffset();
      }
      call.trace = ServerCallTrace.start(ServerConnection.this, call.method, callId,
          call.metadata, body.length, b.admin(), call.startedNanos);
      if (calls.putIfAbsent(callId, call) != null) {
        throw new ProtocolException("call id " + callId + " is already in use");
      }
      call.budgetBytes = reader.takeCharge(); // the arguments stay in the budget until it ends
      server.callStarted();
      if (closed.get()) { // closed meanwhile: nobody to answer; close() may have orphaned it
        finished(call);
        return;
      }
      if (draining) {
        answerRefused(call, Refusal.of(ErrorCode.UNAVAILABLE, drainReason));
        return;
      }
      int max = server.options().maxCallsPerConnection();
      if (!b.admin() && calls.size() > max) {
        answerRefused(call, Refusal.of(ErrorCode.RESOURCE_EXHAUSTED, "this connection has " + max
            + " calls running, its maximum (maxCallsPerConnection " + max + "); "
            + call.methodName() + " did not run"));
        return;
      }
      String exhausted = b.admin() ? null : server.refusal();
      Refusal refused = exhausted != null ? Refusal.of(ErrorCode.SERVER_EXHAUSTED, exhausted)
          : b.admin() ? null : server.gate().admit(call);
      if (refused != null) {
        answerRefused(call, refused);
        return;
      }
      call.filtered = !b.admin() && server.gate().hasFilter();
      CallRunner runner = new CallRunner(call, body, argsOffset, budget,
          reader.takePenaltyCharge());
      if (b.admin() || InlinePolicy.mayInline(call.method) && !call.filtered
          && !server.options().listenerNeedsCallThread()) { // user code never runs on the reader
        runner.inline = true;
        nextInline = runner;
      } else {
        server.dispatch(runner);
      }
    }

    @Override
    public void cancel(int callId, boolean callerReleased, boolean deadline, long graceNanos)
        throws ProtocolException {
      requireHello();
      ServerCall call = calls.get(callId);
      if (call == null) {
        return; // already answered
      }
      if (callerReleased) {
        call.releaseCaller(server.orphans()); // before the cancel: its answer is dropped
      }
      // The caller's deadline is this call's deadline too (it may arrive before our own timer).
      CancelReason why = deadline ? CancelReason.deadlineExceeded(graceNanos)
          : CancelReason.of("cancelled by the caller", graceNanos);
      if (call.trace != null) {
        call.trace.cancelArrived(why);
      }
      call.node.cancel(why);
    }

    @Override
    public void ping(long value) throws ProtocolException {
      requireHello();
      send(w -> Frames.ping(w, true, value));
    }

    @Override
    public void pong(long value) {
      // liveness only
    }

    @Override
    public void streamData(int callId, int slot, boolean end, byte[] body, int offset)
        throws ProtocolException {
      requireHello();
      streams.onData(callId, slot, end, body, offset);
    }

    @Override
    public void streamCredit(int callId, int slot, int bytes) throws ProtocolException {
      requireHello();
      streams.onCredit(callId, slot, bytes);
    }

    @Override
    public void streamReset(int callId, int slot, RemoteError error) throws ProtocolException {
      requireHello();
      streams.onReset(callId, slot, error);
    }

    @Override
    public void goAway(ErrorCode code, String message) {
      clientLeft = true; // the read loop ends and closes the connection
    }
  }
}
