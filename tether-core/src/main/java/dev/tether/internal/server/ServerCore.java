package dev.tether.internal.server;

import dev.tether.ServerStats;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.transport.Listener;
import dev.tether.internal.transport.Link;
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
 * (one reader thread each), and statistics. Closing drains: clients are told to go away, running
 * calls get {@link ServerOptions#drainTimeout()} to finish, then the rest are cancelled.
 */
public final class ServerCore implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("dev.tether.server");

  private final Map<String, ExportedObject> exports;
  private final ServerOptions options;
  private final List<Listener> listeners = new ArrayList<>();
  private final List<Thread> acceptors = new ArrayList<>();
  private final Set<ServerConnection> connections = ConcurrentHashMap.newKeySet();
  private final OrphanTracker orphans = new OrphanTracker();
  private final CallExecutor executor;
  private final InlinePolicy inline;
  private final AtomicLong callsStarted = new AtomicLong();
  private final AtomicLong callsRunning = new AtomicLong();
  private final AtomicLong connectionsAccepted = new AtomicLong();
  private final Object drained = new Object();
  /** Set once, by the one {@link #close} that does the closing. */
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Binds every endpoint and starts accepting. Closes what was bound if one bind fails.
   *
   * @throws IOException saying which endpoint could not be bound and why
   */
  public ServerCore(Map<String, ExportedObject> exports, List<Endpoint> endpoints,
      ServerOptions options) throws IOException {
    this.exports = Map.copyOf(exports);
    this.options = options;
    this.executor = new CallExecutor(options.platformCallThreads());
    this.inline = new InlinePolicy(connections, closed::get);
    for (Endpoint e : endpoints) {
      try {
        listeners.add(Transports.listen(e));
      } catch (IOException | RuntimeException failure) {
        listeners.forEach(Listener::close);
        throw new IOException("cannot listen on " + e + ": " + failure.getMessage(), failure);
      }
    }
    for (Listener l : listeners) {
      acceptors.add(Thread.ofPlatform().daemon().name("tether-accept " + l.endpoint())
          .start(() -> acceptLoop(l)));
    }
  }

  private void acceptLoop(Listener listener) {
    while (!closed.get()) {
      Link link;
      try {
        link = listener.accept();
      } catch (IOException e) {
        if (!closed.get()) {
          log("stopped accepting on " + listener.endpoint() + ": " + e);
        }
        return;
      }
      ServerConnection c = new ServerConnection(this, link);
      connections.add(c);
      connectionsAccepted.incrementAndGet();
      Thread.ofPlatform().daemon().name("tether-server-reader " + link.peer()).start(c::serve);
      if (closed.get()) {
        // Added before this check, so close() either saw it in the set or is seen closed here.
        c.close("server shut down");
        return;
      }
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
        callsRunning.get(), orphans.runningCount(), orphans.totalCount(), orphans.finishedCount());
  }

  ServerOptions options() {
    return options;
  }

  String description() {
    return options.description();
  }

  CallExecutor executor() {
    return executor;
  }

  ExportedObject export(String name) {
    return exports.get(name);
  }

  String exportNames() {
    return String.join(", ", exports.keySet().stream().sorted().toList());
  }

  InlinePolicy inline() {
    return inline;
  }

  void callStarted() {
    callsStarted.incrementAndGet();
    callsRunning.incrementAndGet();
  }

  void callFinished() {
    callsRunning.decrementAndGet();
    if (closed.get()) {
      synchronized (drained) {
        drained.notifyAll();
      }
    }
  }

  void connectionClosed(ServerConnection c) {
    connections.remove(c);
  }

  void log(String message) {
    LOG.log(System.Logger.Level.DEBUG, message);
  }

  /**
   * Stops accepting, tells clients to go away, lets running calls finish for the drain timeout,
   * then cancels what is left and closes every connection. Idempotent and safe from any thread:
   * the first caller does it all, later ones return at once.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    listeners.forEach(Listener::close);
    for (ServerConnection c : connections) {
      c.drain();
    }
    long deadline = System.nanoTime() + options.drainTimeout().toNanos();
    synchronized (drained) {
      long left;
      while (callsRunningOnOpenConnections() > 0 && (left = deadline - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(drained, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    for (ServerConnection c : List.copyOf(connections)) {
      c.close("server shut down");
    }
    executor.shutdown();
    for (Thread t : acceptors) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private int callsRunningOnOpenConnections() {
    int n = 0;
    for (ServerConnection c : connections) {
      n += c.runningCalls();
    }
    return n;
  }
}
