package dev.tether;

import dev.tether.internal.client.ClientConnection;
import dev.tether.internal.client.RemoteObjectHandler;
import dev.tether.internal.launch.WorkerLauncher;
import dev.tether.internal.process.WorkerProcess;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.transport.Link;
import dev.tether.internal.transport.PrivateDirs;
import dev.tether.internal.transport.Transports;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A connection to a Tether server, and the handle of its worker process when this side launched
 * it. Many threads may share one {@code Tether} and the proxies it returns; calls are multiplexed
 * on the connection.
 *
 * <pre>{@code
 * try (Tether worker = Tether.launch(WorkerSpec.builder()
 *     .export("calc", Calculator.class, CalculatorImpl.class).build())) {
 *   Calculator calc = worker.get(Calculator.class, "calc");
 *   int sum = calc.add(2, 3);
 * }
 * }</pre>
 *
 * <p>If the connection is lost or the worker dies, every pending call fails at once with
 * {@link ConnectionClosedException} and so does every later call. Closing fails pending calls the
 * same way and, for a launched worker, shuts it down: politely, then by termination after the
 * spec's shutdown timeout; the process never outlives the handle (nor this JVM).
 */
public final class Tether implements AutoCloseable {
  private final ClientConnection connection;
  private final String address;
  private final WorkerProcess worker;
  private final WorkerSpec spec;
  private final Path socket;
  private final ConcurrentHashMap<String, Object> proxies = new ConcurrentHashMap<>();

  private Tether(ClientConnection connection, String address, WorkerProcess worker,
      WorkerSpec spec, Path socket) {
    this.connection = connection;
    this.address = address;
    this.worker = worker;
    this.spec = spec;
    this.socket = socket;
  }

  /**
   * Starts a worker JVM that exports what {@code spec} says, waits for it to be ready (bounded by
   * the spec's start timeout) and connects to it over a Unix-domain socket in a directory only this
   * user can read.
   *
   * @throws WorkerStartException when the worker cannot start, exits, or is not ready in time;
   *     the message includes its exit code and the tail of its standard error
   */
  public static Tether launch(WorkerSpec spec) {
    Objects.requireNonNull(spec, "spec");
    Path socket;
    try {
      socket = PrivateDirs.create().resolve("worker.sock");
    } catch (IOException e) {
      throw new WorkerStartException(e.getMessage(), e);
    }
    WorkerProcess worker;
    try {
      worker = WorkerLauncher.start(spec, socket);
    } catch (IOException e) {
      PrivateDirs.deleteSocketAndDir(socket, true);
      throw new WorkerStartException(e.getMessage(), e.getCause());
    }
    ClientConnection connection;
    try {
      Link link = Transports.connect(Endpoint.unix(socket), spec.options().connectTimeout());
      connection = ClientConnection.open(link, spec.options());
    } catch (IOException | RuntimeException e) {
      worker.close(spec.shutdownTimeout());
      PrivateDirs.deleteSocketAndDir(socket, true);
      throw new WorkerStartException("cannot connect to " + worker + ": " + e.getMessage()
          + "; its stderr ended with:\n" + worker.stderrTail(), e);
    }
    Tether t = new Tether(connection, "unix:" + socket, worker, spec, socket);
    worker.onExit().thenRun(t::workerExited);
    return t;
  }

  /** Connects to a server at {@code address} ({@code unix:/path}, {@code tcp:host:port}). */
  public static Tether connect(String address) {
    return connect(address, TetherOptions.defaults());
  }

  /**
   * Connects to a server at {@code address} with {@code options}.
   *
   * @throws IllegalArgumentException for a malformed address
   * @throws ConnectionClosedException when the server cannot be reached or the handshake fails
   */
  public static Tether connect(String address, TetherOptions options) {
    Endpoint endpoint = Endpoint.parse(address);
    Objects.requireNonNull(options, "options");
    try {
      Link link = Transports.connect(endpoint, options.connectTimeout());
      return new Tether(ClientConnection.open(link, options),
          endpoint.toString(), null, null, null);
    } catch (IOException e) {
      throw new ConnectionClosedException("cannot connect to " + address + ": " + e.getMessage(), e);
    }
  }

  private void workerExited() {
    String code = worker.isAlive() ? "?" : Integer.toString(worker.exitValue());
    connection.failFromOutside("worker " + worker + " exited with code " + code
        + "; its stderr ended with:\n" + worker.stderrTail());
  }

  /**
   * A proxy for the object exported as {@code name}, implementing {@code iface}. The first time,
   * checks the interface (every type must be one Tether can carry) and asks the server whether it
   * exports {@code name} with the same methods; later calls return the same proxy.
   *
   * @throws IllegalArgumentException when the interface is unusable; the message names the method
   *     and the type
   * @throws TetherException with {@link ErrorCode#NOT_FOUND} or {@link ErrorCode#INCOMPATIBLE}
   *     when the server has no such object or its interface differs
   * @throws ConnectionClosedException when this handle is closed or its connection failed
   */
  public <T> T get(Class<T> iface, String name) {
    Objects.requireNonNull(iface, "iface");
    Objects.requireNonNull(name, "name");
    connection.throwIfUnusable(); // a cached proxy of a closed handle would only fail later
    String key = iface.getName() + "\u0000" + name;
    Object cached = proxies.get(key);
    if (cached != null && iface.isInstance(cached)) {
      return iface.cast(cached);
    }
    T proxy = RemoteObjectHandler.proxy(connection, iface, name);
    proxies.putIfAbsent(key, proxy);
    return proxy;
  }

  /** True until the connection fails or is closed. */
  public boolean isOpen() {
    return connection.isOpen();
  }

  /** The server's address. */
  public String address() {
    return address;
  }

  /** The worker process, when this handle launched one. */
  public Optional<ProcessHandle> worker() {
    return worker == null ? Optional.empty() : Optional.of(worker.handle());
  }

  /** Calls pending on this connection now. */
  public int pendingCalls() {
    return connection.pendingCount();
  }

  /** Answers that arrived after their call had ended (forced or failed) and were discarded. */
  public long discardedAnswers() {
    return connection.lateAnswers();
  }

  /**
   * Closes the connection (pending calls fail with {@link ConnectionClosedException}) and, for a
   * launched worker, shuts the worker down and waits until it is gone. Idempotent.
   */
  @Override
  public void close() {
    connection.close();
    if (worker != null) {
      worker.close(spec.shutdownTimeout());
      PrivateDirs.deleteSocketAndDir(socket, true);
    }
  }

  @Override
  public String toString() {
    return "Tether[" + address + (worker == null ? "" : ", " + worker) + "]";
  }
}
