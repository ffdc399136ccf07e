package dev.tether.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;

/**
 * Eclipse LSP4J JSON-RPC: a {@link Launcher} on each end of a loopback TCP socket, Gson encoding,
 * LSP's base protocol framing. Cancellation maps cleanly: cancelling the future of a request
 * sends {@code $/cancelRequest}, and the server cancels the future its method returned.
 */
public final class Lsp4jBench extends SystemBench {
  private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);
  private static final long WAIT_SECONDS = 30;
  /** LSP4J logs a closed socket at SEVERE; the benchmark closes its sockets on purpose. */
  private static final Logger LSP4J_LOG = Logger.getLogger("org.eclipse.lsp4j.jsonrpc");

  static {
    LSP4J_LOG.setLevel(Level.OFF);
  }

  private ServerProcess server;
  private Socket socket;
  private Lsp4jService svc;
  private ExecutorService executor;

  /** The LSP4J peer. */
  public Lsp4jBench(BenchPlan plan) {
    super("lsp4j", plan);
  }

  @Override
  protected void start() throws Exception {
    server = startServer("lsp4j");
    socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
    socket.setTcpNoDelay(true);
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "lsp4j-client");
      t.setDaemon(true);
      return t;
    });
    Launcher<Lsp4jService> launcher = new Launcher.Builder<Lsp4jService>()
        .setLocalService(new Object())
        .setRemoteInterface(Lsp4jService.class)
        .setInput(socket.getInputStream())
        .setOutput(socket.getOutputStream())
        .setExecutorService(executor)
        .create();
    launcher.startListening();
    svc = launcher.getRemoteProxy();
  }

  private static <T> T get(CompletableFuture<T> f) throws Exception {
    return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * Waits for a request the canceller cancels; returns normally once it is released. The cancel
   * notification goes out before the client future is cancelled, so the server's "cancelled"
   * error answer sometimes completes the future first: that is a release by the cancel too.
   */
  private static boolean awaitCancelled(CompletableFuture<?> f) throws Exception {
    try {
      get(f);
      return false;
    } catch (CancellationException e) {
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ResponseErrorException r && r.getResponseError().getCode()
          == ResponseErrorCode.RequestCancelled.getValue()) {
        return true;
      }
      throw e;
    }
  }

  @Override
  protected List<Row> measure(Metric m) throws Exception {
    Payload payload = Payload.sample();
    return switch (m) {
      case RTT -> one(latencyRow(m, Measure.latency(plan, () -> get(svc.echo(7))), ""));
      case RTT_RECORD -> one(latencyRow(m, Measure.latency(plan,
          () -> get(svc.echoPayload(payload))), "Gson: the byte[] travels as a JSON array"));
      case THROUGHPUT_16 -> one(throughputRow(() -> get(svc.echo(7)),
          "16 threads, one launcher and socket"));
      case CANCEL_RELEASE, CANCEL_RELEASE_COLD -> one(cancelRow(m, new ReleaseProbe(),
          "future.cancel(true) until the caller's get() throws"));
      case CANCEL_OBSERVE, CANCEL_OBSERVE_COLD -> one(cancelRow(m, new ObserveProbe(),
          "$/cancelRequest until the server's future isCancelled(); read back by a 2nd call"));
      case CANCEL_10K_RELEASE, CANCEL_10K_OBSERVE, MEM_PER_PENDING -> pendingRows(
          new PendingCalls(), "future.cancel(true) sends $/cancelRequest");
      case CANCEL_OVERHEAD -> one(Row.notApplicable(name, m,
          "every LSP4J request is cancellable; there is no switch to compare"));
      default -> one(Row.notApplicable(name, m, "not measured for this system"));
    };
  }

  /** A request whose future the canceller cancels. */
  private class ReleaseProbe implements Measure.CancelProbe {
    final AtomicReference<CompletableFuture<?>> current = new AtomicReference<>();

    @Override
    public long call(int seq) throws Exception {
      CompletableFuture<Integer> f = svc.block(seq);
      current.set(f);
      try {
        boolean cancelled = awaitCancelled(f);
        long now = System.nanoTime();
        return cancelled ? now : -1;
      } finally {
        current.set(null);
      }
    }

    @Override
    public void cancel(Thread caller) throws Exception {
      // The server may signal before the caller has published the future it got back.
      Measure.waitFor(() -> current.get() != null, "the caller's future");
      current.get().cancel(true);
    }
  }

  /** The server spins until its future is cancelled; the caller reads the time back. */
  private final class ObserveProbe extends ReleaseProbe {
    @Override
    public long call(int mine) throws Exception {
      CompletableFuture<Long> f = svc.spin(mine);
      current.set(f);
      try {
        if (!awaitCancelled(f)) {
          return -1;
        }
      } finally {
        current.set(null);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (System.nanoTime() - deadline < 0) {
        long seen = get(svc.lastSeen(mine));
        if (seen != 0) {
          return seen;
        }
      }
      return -1;
    }
  }

  @Override
  protected ScaleTarget scaleTarget() {
    return new ScaleTarget(() -> get(svc.echo(7)), PendingCalls::new);
  }

  /** Requests pending on the socket, each cancelled through its future. */
  private final class PendingCalls extends FuturesProbe {
    @Override
    public void reset(int n) throws Exception {
      get(svc.resetCancelCount(n));
    }

    @Override
    public void start(Runnable released) {
      CompletableFuture<Integer> f = svc.awaitCancel(1);
      FuturesProbe.onDone(f, released);
      track(f);
    }

    @Override
    public CancelProgress progress() throws Exception {
      return get(svc.cancelProgress(0));
    }
  }

  @Override
  public List<String> notes() {
    return List.of("lsp4j: org.eclipse.lsp4j.jsonrpc Launcher on both ends of one loopback TCP "
        + "socket (TCP_NODELAY), default Gson; server methods return CompletableFutures, spinning "
        + "work runs on a separate thread so that the reader can deliver $/cancelRequest.");
  }

  @Override
  public void close() throws IOException {
    try {
      if (socket != null) {
        socket.close();
      }
      if (executor != null) {
        executor.shutdownNow();
      }
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  /** The LSP4J server: accepts loopback connections, one launcher each. */
  public static final class Server implements AutoCloseable {
    private final ServerSocket listener;

    private Server(ServerSocket listener) {
      this.listener = listener;
    }

    /** Listens on 127.0.0.1 with a free port. */
    public static Server start() throws IOException {
      ServerSocket l = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Server s = new Server(l);
      Thread.ofPlatform().daemon().name("lsp4j-accept").start(s::acceptLoop);
      return s;
    }

    private void acceptLoop() {
      Impl impl = new Impl();
      try {
        while (true) {
          Socket s = listener.accept();
          s.setTcpNoDelay(true);
          Launcher<Lsp4jService> launcher = new Launcher.Builder<Lsp4jService>()
              .setLocalService(impl)
              .setRemoteInterface(Lsp4jService.class)
              .setInput(s.getInputStream())
              .setOutput(s.getOutputStream())
              .create();
          launcher.startListening();
        }
      } catch (IOException e) {
        // closed
      }
    }

    /** {@code tcp:127.0.0.1:port}. */
    public String address() {
      return "tcp:127.0.0.1:" + listener.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      listener.close();
    }
  }

  /** The server's methods. */
  static final class Impl implements Lsp4jService {
    private final ServerCounters counters = ServerCounters.INSTANCE;
    private final ExecutorService spinners = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "lsp4j-spin");
      t.setDaemon(true);
      return t;
    });

    @Override
    public CompletableFuture<Integer> echo(Integer v) {
      return CompletableFuture.completedFuture(v);
    }

    @Override
    public CompletableFuture<Payload> echoPayload(Payload p) {
      return CompletableFuture.completedFuture(p);
    }

    @Override
    public CompletableFuture<Integer> block(Integer seq) {
      StartSignal.started(seq);
      return new CompletableFuture<>();
    }

    @Override
    public CompletableFuture<Long> spin(Integer seq) {
      CompletableFuture<Long> f = new CompletableFuture<>();
      spinners.execute(() -> {
        StartSignal.started(seq);
        counters.seen(seq, ServerCounters.spinUntil(f::isCancelled, MINUTE_NANOS));
      });
      return f;
    }

    @Override
    public CompletableFuture<Long> lastSeen(Integer seq) {
      return CompletableFuture.completedFuture(counters.lastSeen(seq));
    }

    @Override
    public CompletableFuture<Integer> awaitCancel(Integer ignored) {
      counters.started();
      CompletableFuture<Integer> f = new CompletableFuture<>();
      f.whenComplete((v, t) -> {
        if (f.isCancelled()) {
          counters.observed();
        }
      });
      return f;
    }

    @Override
    public CompletableFuture<Integer> resetCancelCount(Integer n) {
      counters.reset(n);
      return CompletableFuture.completedFuture(n);
    }

    @Override
    public CompletableFuture<CancelProgress> cancelProgress(Integer ignored) {
      return CompletableFuture.completedFuture(counters.progress());
    }
  }
}
