package dev.tether.internal.server;

import dev.tether.ServerStats;
import dev.tether.internal.time.Clock;
import dev.tether.internal.wire.RefusalPenalty;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.transport.Link;
import dev.tether.internal.transport.Listener;
import dev.tether.internal.transport.Transports;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A running server: its exports, listeners with one accepting thread each, the open connections
 * (one reader thread each), and statistics. Its lifecycle follows the JDK's executors:
 * {@link #shutdown()} drains (clients are told to go away, running calls finish and their answers
 * are delivered, each connection closes once it owes no answer), {@link #shutdownNow()} cancels
 * what still runs and closes every connection, {@link #awaitTermination} waits, and
 * {@link #close()} combines them with {@link ServerOptions#drainTimeout()} as the bound.
 */
public final class ServerCore implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("dev.tether.server");

  private final Map<String, ExportedObject> exports;
  private final ServerOptions options;
  private final List<Listener> listeners = new ArrayList<>();
  private final List<Thread> acceptors = new ArrayList<>();
  private final List<AcceptLoop> acceptLoops = new ArrayList<>();
  private final ConnectionRefuser refuser = new ConnectionRefuser();
  private final AtomicLong connectionsRefused = new AtomicLong();
  private final AtomicLong acceptFailures = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicInteger listenersBroken =
      new java.util.concurrent.atomic.AtomicInteger();
  private final IdleSweeper idleSweeper;
  private final ConnectionParker parker = new ConnectionParker();
  private final Set<ServerConnection> connections = ConcurrentHashMap.newKeySet();
  private final OrphanTracker orphans = new OrphanTracker(Clock.system());
  private final CallExecutor executor;
  private final InlinePolicy inline;
  private final IdleWakeups idleWakeups;
  private final CallAdmission admission;
  private final CallGate gate;
  private final ExportedObject admin;
  private final UnixPeerGate unixPeers;
  private final AuthFailures authFailures = new AuthFailures(Clock.system());
  private final dev.tether.internal.wire.ByteBudget budget;
  /** Slows the reading of large frames while calls are refused for their size (see there). */
  private final RefusalPenalty penalty;
  private final FailedConnectionPacing failedConnections;
  private final AtomicLong callsStarted = new AtomicLong();
  private final AtomicLong callsRunning = new AtomicLong();
  private final AtomicLong connectionsAccepted = new AtomicLong();
  private final Object drained = new Object();
  /** Set once, by the one {@link #close} that does the closing. */
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ListenerDispatch listenerDispatch = new ListenerDispatch(LOG);

  /**
   * Binds every endpoint and starts accepting. Closes what was bound if one bind fails.
   *
   * @throws IOException saying which endpoint could not be bound and why
   */
  public ServerCore(Map<String, ExportedObject> exports, List<Endpoint> endpoints,
      ServerOptions options) throws IOException {
    this.exports = Map.copyOf(exports);
    this.options = options;
    this.executor = new CallExecutor();
    this.inline = new InlinePolicy(connections, closed::get, Clock.system());
    this.idleWakeups = new IdleWakeups(connections, closed::get, Clock.system());
    this.admission = new CallAdmission(options.maxCallThreads(), options.maxOrphans());
    this.admin = this.exports.get(dev.tether.TetherAdmin.NAME);
    this.gate = new CallGate(options.concurrencyLimit(), options.incomingCallFilter(),
        Clock.system(), () -> (int) callsRunning.get());
    this.budget = dev.tether.internal.wire.ByteBudget.root(options.serverBufferBytes());
    // One refused maximal frame is forgiven; after that a large frame is read every 4 s.
    this.penalty = new RefusalPenalty(options.maxFrameBytes(),
        Math.max(1, options.maxFrameBytes() / 4), Clock.system());
    this.failedConnections = new FailedConnectionPacing(options.failedConnectionRate(),
        Clock.system());
    this.unixPeers = new UnixPeerGate(options.security().unixPeers(),
        dev.tether.internal.transport.PrivateDirs.currentUserName());
    for (Endpoint e : endpoints) {
      try {
        listeners.add(Transports.listen(e, othersAdmitted(options)));
      } catch (IOException | RuntimeException failure) {
        listeners.forEach(Listener::close);
        throw new IOException("cannot listen on " + e + ": " + failure.getMessage(), failure);
      }
    }
    this.idleSweeper = new IdleSweeper(connections, options.idleTimeout());
    AcceptLoop.Sink sink = new AcceptLoop.Sink() {
      @Override
      public void accepted(Link link) {
        ServerCore.this.accepted(link);
      }

      @Override
      public void acceptFailed() {
        acceptFailures.incrementAndGet();
      }

      @Override
      public long acceptHoldNanos() {
        return failedConnections.holdNanos();
      }

      @Override
      public void listenerBroken(Listener listener, Throwable why) {
        listenersBroken.incrementAndGet();
        LOG.log(System.Logger.Level.ERROR, "stopped listening on " + listener.endpoint()
            + ", which is broken: " + why);
      }

      @Override
      public void log(System.Logger.Level level, String message) {
        LOG.log(level, message);
      }
    };
    for (Listener l : listeners) {
      AcceptLoop loop = new AcceptLoop(l, closed::get, sink);
      acceptLoops.add(loop);
      acceptors.add(Thread.ofPlatform().daemon().name("tether-accept " + l.endpoint())
          .start(loop));
    }
  }

  /** True when the peer check admits users besides the server's own: they must reach it. */
  private static boolean othersAdmitted(ServerOptions options) {
    dev.tether.UnixPeerPolicy p = options.security().unixPeers();
    return !p.users().isEmpty() || !p.groups().isEmpty();
  }

  /** A new connection: served, or refused when the server has its maximum already. */
  private void accepted(Link link) {
    UnixPeerGate.Verdict peer = unixPeers.check(link); // reads nothing: refused before a byte
    if (peer.refusal() != null) {
      authFailures.refused("peer " + link.peer() + ": " + peer.refusal());
      failedConnections.failed();
      refuser.refuse(link, dev.tether.ErrorCode.UNAUTHENTICATED, peer.refusal());
      return;
    }
    int max = options.maxConnections();
    if (connections.size() >= max && options.tls() != null) {
      connectionsRefused.incrementAndGet();
      link.close(); // a GOAWAY would need a TLS handshake, on this (accepting) thread: no
      return;
    }
    if (options.tls() != null) {
      link = Transports.secureAccepted(link, options.tls(), (who, why) -> {
        if (!closed.get()) { // a handshake cut short by shutdown is no failure
          authFailures.refused("peer " + who + ": " + why);
          failedConnections.failed();
        }
      });
    }
    if (connections.size() >= max) {
      connectionsRefused.incrementAndGet();
      refuser.refuse(link, dev.tether.ErrorCode.SERVER_EXHAUSTED, "server has " + max
          + " connections open, its maximum (maxConnections " + max + "); try again later");
      return;
    }
    ServerConnection c = new ServerConnection(this, link, peer.peer());
    ConnectionLog.opened(link.peer());
    connections.add(c);
    connectionsAccepted.incrementAndGet();
    try {
      if (!c.parkUntilItSpeaks()) {
        Thread.ofPlatform().daemon().name("tether-server-reader " + link.peer()).start(c::serve);
      }
    } catch (RuntimeException | OutOfMemoryError e) {
      c.close("no reader thread for " + link.peer() + ": " + e);
      throw e;
    }
    if (closed.get()) {
      c.drain(); // shutdown() ran while this one was being added: it may have missed it
    }
  }

  /** The endpoints clients connect to. */
  public List<Endpoint> endpoints() {
    return listeners.stream().map(Listener::endpoint).toList();
  }

  /** Orphaned calls. */
  public OrphanTracker orphans() {
    return orphans;
  }

  /** A snapshot of the statistics. */
  public ServerStats stats() {
    return new ServerStats(connections.size(), connectionsAccepted.get(), callsStarted.get(),
        callsRunning.get(), orphans.runningCount(), orphans.totalCount(), orphans.finishedCount(),
        connectionsRefused.get(), acceptFailures.get(), listenersBroken.get(),
        authFailures.count(), listenerDispatch.dropped());
  }

  /** Runs listener callbacks of calls that ended on a reader (inline or refused). */
  ListenerDispatch listenerDispatch() {
    return listenerDispatch;
  }

  /** Bytes buffered for all connections: frames being read, arguments of running calls. */
  dev.tether.internal.wire.ByteBudget budget() {
    return budget;
  }

  RefusalPenalty penalty() {
    return penalty;
  }

  /**
   * A connection failed: its peer broke the protocol, failed to authenticate or did not finish
   * the handshake in time. Accepting slows down while this keeps happening.
   */
  void connectionFailed() {
    failedConnections.failed();
  }

  ServerOptions options() {
    return options;
  }

  /** Counts and logs peers refused for want of authentication. */
  AuthFailures authFailures() {
    return authFailures;
  }

  String description() {
    return options.description();
  }

  /**
   * Null when a new call may run now, else why the server refuses it (see
   * {@link CallAdmission}). Not asked for calls of the admin object, which are never refused.
   */
  String refusal() {
    int all = orphans.runningCount();
    int stuck = all < admission.maxOrphans() ? all
        : orphans.runningLongerThan(CallAdmission.STUCK_AFTER_NANOS);
    return admission.refusal(executor.busyThreads(), stuck);
  }

  /**
   * True for the admin object, whose calls are never refused and always run on the connection's
   * reader thread, so a monitor is answered without needing a call thread, however busy the
   * server is.
   */
  boolean isAdmin(ExportedObject object) {
    return object == admin;
  }

  /** Runs {@code runner} on a call thread; answers the call itself if no thread can be had. */
  void dispatch(CallRunner runner) {
    try {
      executor.execute(runner);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      ServerCall call = runner.call();
      boolean down = isShutdown();
      call.connection.answers.refused(call, Refusal.of(down ? dev.tether.ErrorCode.UNAVAILABLE
          : dev.tether.ErrorCode.SERVER_EXHAUSTED, down ? "server shutting down"
          : "server exhausted: " + e.getMessage()));
    }
  }

  ExportedObject export(String name) {
    return exports.get(name);
  }

  String exportNames() {
    return String.join(", ", exports.keySet().stream().sorted().toList());
  }

  ConnectionParker parker() {
    return parker;
  }

  /** The concurrency limit and the incoming-call filter. */
  CallGate gate() {
    return gate;
  }

  InlinePolicy inline() {
    return inline;
  }

  /** Wakes readers that wait untimed when their connections should park. */
  IdleWakeups idleWakeups() {
    return idleWakeups;
  }

  void callStarted() {
    callsStarted.incrementAndGet();
    callsRunning.incrementAndGet();
  }

  void callFinished() {
    callsRunning.decrementAndGet();
    if (closed.get()) {
      wakeWaiters();
    }
  }

  void connectionClosed(ServerConnection c) {
    connections.remove(c);
    if (closed.get()) {
      wakeWaiters();
    }
  }

  private void wakeWaiters() {
    synchronized (drained) {
      drained.notifyAll();
    }
  }

  void log(String message) {
    LOG.log(System.Logger.Level.DEBUG, message);
  }

  /**
   * Stops accepting connections and calls, and lets running calls finish: every client is told to
   * go away (GOAWAY), a call that arrives afterwards is refused as UNAVAILABLE, and each
   * connection closes once the answers its client waits for are written. Returns at once.
   * Idempotent and safe from any thread: the first caller does it all.
   */
  public void shutdown() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    listeners.forEach(Listener::close);
    acceptLoops.forEach(AcceptLoop::wake);
    idleSweeper.stop();
    for (ServerConnection c : connections) {
      c.drain();
    }
    wakeWaiters();
  }

  /**
   * {@link #shutdown()}, then closes every connection at once: calls still running are cancelled,
   * their callers get a connection-closed failure, and those that ignore the cancel run on as
   * orphans (nothing can stop a thread safely). Idempotent.
   */
  public void shutdownNow() {
    shutdown();
    for (ServerConnection c : List.copyOf(connections)) {
      c.close("server shut down");
    }
    parker.close();
    executor.shutdown();
  }

  /** True once {@link #shutdown()} or {@link #shutdownNow()} ran. */
  public boolean isShutdown() {
    return closed.get();
  }

  /**
   * True once shut down with every connection closed and no call running, orphans included (an
   * orphan that ignores cancellation keeps a server from ever terminating).
   */
  public boolean isTerminated() {
    return closed.get() && connections.isEmpty() && callsRunning.get() == 0;
  }

  /** Waits up to {@code nanos} for {@link #isTerminated()}; returns it. */
  public boolean awaitTermination(long nanos) throws InterruptedException {
    return awaitUntil(this::isTerminated, nanos);
  }

  /**
   * Drains and stops: {@link #shutdown()}, waits up to the drain timeout for every answer a
   * client waits for to be delivered, then {@link #shutdownNow()}. Does not wait for orphans.
   * Idempotent; keeps the caller's interrupt flag.
   */
  @Override
  public void close() {
    shutdown();
    try {
      awaitUntil(() -> callsAwaitingAnswers() == 0, options.drainTimeout().toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    shutdownNow();
    for (Thread t : acceptors) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private boolean awaitUntil(java.util.function.BooleanSupplier done, long nanos)
      throws InterruptedException {
    boolean forever = nanos >= Long.MAX_VALUE / 4; // no overflow in deadline arithmetic
    long deadline = Clock.system().nanoTime() + (forever ? 0 : nanos);
    synchronized (drained) {
      long left;
      while (!done.getAsBoolean()) {
        if ((left = forever ? Long.MAX_VALUE : deadline - Clock.system().nanoTime()) <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(drained, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
      }
      return true;
    }
  }

  private int callsAwaitingAnswers() {
    int n = 0;
    for (ServerConnection c : connections) {
      n += c.callsAwaitingAnswers();
    }
    return n;
  }
}
