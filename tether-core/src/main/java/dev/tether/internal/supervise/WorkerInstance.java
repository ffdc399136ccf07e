package dev.tether.internal.supervise;

import dev.tether.ConnectionClosedException;
import dev.tether.TetherException;
import dev.tether.TetherOptions;
import dev.tether.WorkerCrashedException;
import dev.tether.WorkerSpec;
import dev.tether.WorkerStartException;
import dev.tether.internal.client.ClientConnection;
import dev.tether.internal.client.ConnectionObserver;
import dev.tether.internal.launch.WorkerLauncher;
import dev.tether.internal.process.ExitStatus;
import dev.tether.internal.process.WorkerProcess;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.transport.Link;
import dev.tether.internal.transport.PrivateDirs;
import dev.tether.internal.transport.Transports;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One worker process and the connection to it: started from a spec, explained when it ends,
 * stopped when retired. When the worker's end of the socket closes, the connection's calls stay
 * pending for a short while ({@link #EXIT_WAIT}) until the process has exited, so that they fail
 * with its exit code, signal and standard error instead of a bare "connection closed" (the
 * socket's end-of-stream usually arrives a little before the JDK reaps the process).
 * Thread-safe.
 */
final class WorkerInstance implements ConnectionObserver {
  /** How long a dead worker's calls wait for its exit status. */
  static final Duration EXIT_WAIT = Duration.ofSeconds(2);

  /** Told when the connection to a worker failed for a reason other than its retirement. */
  interface Listener {
    void failed(WorkerInstance worker, TetherException failure);
  }

  private final WorkerProcess process;
  private final Path socket;
  private TetherOptions options;
  private final Listener listener;
  private volatile ClientConnection connection;
  private volatile boolean retiring;

  private WorkerInstance(WorkerProcess process, Path socket, Listener listener) {
    this.process = process;
    this.socket = socket;
    this.listener = listener;
  }

  /**
   * Starts the {@code incarnation}-th worker of a handle from {@code spec} and connects to it,
   * telling it what ended the earlier ones ({@code history}; see {@link dev.tether.WorkerHistory}).
   *
   * @throws WorkerStartException when it cannot start, exits, or does not answer in time
   */
  static WorkerInstance start(WorkerSpec spec, Listener listener, int incarnation,
      List<String> history) {
    Path socket;
    try {
      socket = PrivateDirs.create().resolve("worker.sock");
    } catch (IOException e) {
      throw new WorkerStartException(e.getMessage(), e);
    }
    WorkerProcess process;
    try {
      process = WorkerLauncher.start(spec, socket, incarnation, history);
    } catch (IOException e) {
      PrivateDirs.deleteSocketAndDir(socket, true);
      throw new WorkerStartException(e.getMessage(), e.getCause());
    }
    WorkerInstance w = new WorkerInstance(process, socket, listener);
    TetherOptions o = spec.options();
    try {
      w.options = o;
      Link link = Transports.connect(Endpoint.unix(socket), o.connectTimeout());
      w.connection = ClientConnection.open(link, w.options, w);
    } catch (IOException | RuntimeException e) {
      process.close(Duration.ZERO);
      PrivateDirs.deleteSocketAndDir(socket, true);
      throw new WorkerStartException("cannot connect to " + process + ": " + e.getMessage()
          + "; its stderr ended with:\n" + process.stderrTail(), e);
    }
    process.onExit().thenRun(() -> Thread.ofVirtual().name("tether-worker-exit")
        .start(w::processExited));
    return w;
  }

  ClientConnection connection() {
    return connection;
  }

  /**
   * A second, unobserved connection to the worker, for the supervisor's own questions (its
   * calls never show among the handle's pending calls). The caller closes it.
   */
  ClientConnection openSideConnection() throws IOException {
    Link link = Transports.connect(Endpoint.unix(socket), options.connectTimeout());
    return ClientConnection.open(link, options);
  }

  /** Where it listens: {@code unix:/path}. */
  String address() {
    return "unix:" + socket;
  }

  long pid() {
    return process.pid();
  }

  ProcessHandle handle() {
    return process.handle();
  }

  @Override
  public void streamEnded(ClientConnection c, String message, Throwable cause) {
    if (!retiring) {
      process.awaitExit(EXIT_WAIT);
    }
    c.failWith(retiring ? () -> new ConnectionClosedException(message, cause) : this::crashed);
  }

  @Override
  public void failed(ClientConnection c, TetherException failure) {
    if (!retiring) {
      listener.failed(this, failure);
    }
  }

  private void processExited() {
    ClientConnection c = connection;
    if (!retiring && c != null) {
      c.failWith(this::crashed);
    }
  }

  /** What the calls of a worker that died get. */
  private WorkerCrashedException crashed() {
    ExitStatus status = process.exitStatus();
    String tail = process.stderrTail();
    String how = status == null ? "closed its connection (the process still runs)"
        : "died with " + status;
    return new WorkerCrashedException("worker " + process + " " + how
        + "; its stderr ended with:\n" + tail, process.pid(),
        status == null ? null : status.code(), status == null ? null : status.signal(), tail);
  }

  /** The exit status, once the process exited. */
  ExitStatus exitStatus() {
    return process.exitStatus();
  }

  /** From now on, the end of this worker is expected: no crash is reported. */
  void markRetiring() {
    retiring = true;
  }

  /**
   * Retires the worker: stops it in bounded steps ({@code polite}: standard input closed, then
   * SIGTERM, then after {@code terminate} SIGKILL), closes the connection, deletes its socket.
   * Returns the step that ended it (0 polite, 1 SIGTERM, 2 SIGKILL).
   */
  int stop(Duration polite, Duration terminate, String why) {
    retiring = true;
    ClientConnection c = connection;
    if (c != null) {
      c.close(why);
    }
    int step = process.stop(polite, terminate);
    PrivateDirs.deleteSocketAndDir(socket, true);
    return step;
  }

  @Override
  public String toString() {
    return process.toString();
  }
}
