package dev.tether;

import dev.tether.internal.client.ClientConnection;
import dev.tether.internal.client.RemoteObjectHandler;
import dev.tether.internal.supervise.HandleCore;
import dev.tether.internal.supervise.ServerHandle;
import dev.tether.internal.supervise.Supervisor;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.transport.Link;
import dev.tether.internal.transport.TcpProtection;
import dev.tether.internal.transport.TlsConfig;
import dev.tether.internal.transport.TlsException;
import dev.tether.internal.transport.Transports;
import dev.tether.internal.wire.AuthenticationException;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A connection to a Tether server, or the handle of a supervised worker process when this side
 * launched it. Many threads may share one {@code Tether} and the proxies it returns; calls are
 * multiplexed on the connection.
 *
 * <pre>{@code
 * try (Tether worker = Tether.launch(WorkerSpec.builder()
 *     .export("calc", Calculator.class, CalculatorImpl.class).build())) {
 *   Calculator calc = worker.get(Calculator.class, "calc");
 *   int sum = calc.add(2, 3);
 * }
 * }</pre>
 *
 * <p><b>Launched workers are supervised</b> ({@link SupervisionPolicy} on the spec): when the
 * worker dies, its pending calls fail at once with {@link WorkerCrashedException} (exit code,
 * signal, standard error); when it stops answering pings, with {@link LivenessLostException};
 * when it is killed because a call kept running after its caller gave up, with
 * {@link WorkerRestartedException}. Then a new worker is started from the same spec, and this
 * handle and every proxy it handed out go on working against it (calls made meanwhile wait for
 * it). Too many restarts in the policy's period and the handle stays failed
 * ({@link WorkerFailedException}). {@link #supervision()} shows what happened.
 *
 * <p>For a server reached with {@link #connect}, a lost connection fails every pending call and
 * every later one with {@link ConnectionClosedException} (or {@link LivenessLostException}).
 *
 * <p>Lifecycle, as with the JDK's executors: {@link #shutdown()} refuses new calls and lets
 * pending ones finish, then closes; {@link #shutdownNow()} fails pending calls at once;
 * {@link #awaitTermination} waits until everything is gone; {@link #close()} is
 * {@code shutdownNow()} plus a bounded wait. A launched worker is stopped politely (its standard
 * input closes), then by SIGTERM, then SIGKILL after bounds; it never outlives the handle (nor
 * this JVM).
 */
public final class Tether implements AutoCloseable {
  private final HandleCore core;
  private final ConcurrentHashMap<String, Object> proxies = new ConcurrentHashMap<>();

  private Tether(HandleCore core) {
    this.core = core;
  }

  /**
   * Starts a worker JVM that exports what {@code spec} says, waits for it to be ready (bounded by
   * the spec's start timeout), connects to it over a Unix-domain socket in a directory only this
   * user can read, and supervises it with the spec's {@link SupervisionPolicy}.
   *
   * @throws WorkerStartException when the worker cannot start, exits, or is not ready in time;
   *     the message includes its exit code and the tail of its standard error
   */
  public static Tether launch(WorkerSpec spec) {
    Objects.requireNonNull(spec, "spec");
    Supervisor s = Supervisor.launch(spec);
    return new Tether(s);
  }

  /** Connects to a server at {@code address} ({@code unix:/path}, {@code tcp:host:port}). */
  public static Tether connect(String address) {
    return connect(address, TetherOptions.defaults());
  }

  /**
   * Connects to a server at {@code address} with {@code options}.
   *
   * @throws IllegalArgumentException for a malformed address, or TLS options with an address
   *     that is not {@code tcp:}
   * @throws ConnectionClosedException when the server cannot be reached or the handshake fails
   * @throws TetherException with {@link ErrorCode#UNAUTHENTICATED} when a TCP address is given
   *     without TLS, a shared secret or {@link TetherOptions#withInsecurePlaintextTcp()} (nothing
   *     is sent), when the server refuses this client (its Unix user, its shared secret), or when
   *     the server cannot prove it knows the shared secret, or when TLS fails: the server's
   *     certificate is not trusted or does not match the host, or the server requires a client
   *     certificate (see {@link TetherOptions#withTls})
   */
  public static Tether connect(String address, TetherOptions options) {
    Endpoint endpoint = Endpoint.parse(address);
    Objects.requireNonNull(options, "options");
    if (endpoint.scheme().equals("tcp")) {
      String refused = TcpProtection.refusal(options.tls().isPresent(),
          options.sharedSecret() != null,
          options.insecurePlaintextTcp(), "client", "TetherOptions.withTls(...), "
          + ".withSharedSecret(...) or .withInsecurePlaintextTcp()");
      if (refused != null) {
        throw new TetherException(ErrorCode.UNAUTHENTICATED, "will not connect to " + address
            + ": " + refused);
      }
    }
    try {
      Link link = Transports.connect(endpoint, options.connectTimeout(),
          options.tls().map(Tether::tlsConfig).orElse(null));
      ClientConnection c = ClientConnection.open(link, options);
      return new Tether(new ServerHandle(c, endpoint.toString()));
    } catch (TlsException e) {
      throw new TetherException(ErrorCode.UNAUTHENTICATED, "cannot connect to " + address + ": "
          + e.getMessage(), e);
    } catch (IOException e) {
      if (e.getCause() instanceof TlsException tls) { // e.g. the handshake's timeout wrapped it
        throw new TetherException(ErrorCode.UNAUTHENTICATED, "cannot connect to " + address
            + ": " + tls.getMessage(), e);
      }
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof AuthenticationException a) {
          throw new TetherException(ErrorCode.UNAUTHENTICATED, "cannot connect to " + address
              + ": " + a.getMessage(), e);
        }
      }
      throw new ConnectionClosedException("cannot connect to " + address + ": " + e.getMessage(), e);
    }
  }

  /** The transport's view of the TLS settings (shared with {@link TetherServer}). */
  static TlsConfig tlsConfig(TlsSettings tls) {
    return new TlsConfig(tls.sslContext(), tls.clientCertificateRequired(), tls.verifiesHostname());
  }

  /**
   * A proxy for the object exported as {@code name}, implementing {@code iface}. The first time,
   * checks the interface (every type must be one Tether can carry) and asks the server whether it
   * exports {@code name} with the same methods; later calls return the same proxy. The proxy
   * follows a supervised worker across restarts (it resolves the object again on the new worker
   * with its first call there).
   *
   * @throws IllegalArgumentException when the interface is unusable; the message names the method
   *     and the type
   * @throws TetherException with {@link ErrorCode#NOT_FOUND} or {@link ErrorCode#INCOMPATIBLE}
   *     when the server has no such object or its interface differs
   * @throws ConnectionClosedException when this handle is closed or its connection failed, or
   *     another {@link TetherException} that says why no call can be made now (shut down, worker
   *     failed)
   */
  public <T> T get(Class<T> iface, String name) {
    Objects.requireNonNull(iface, "iface");
    Objects.requireNonNull(name, "name");
    if (!core.isOpen()) {
      core.current(); // throws why no call can be made: a cached proxy would only fail later
    }
    String key = iface.getName() + "\u0000" + name;
    Object cached = proxies.get(key);
    if (cached != null && iface.isInstance(cached)) {
      return iface.cast(cached);
    }
    T proxy = RemoteObjectHandler.proxy(core, iface, name);
    Object raced = proxies.putIfAbsent(key, proxy);
    return raced != null && iface.isInstance(raced) ? iface.cast(raced) : proxy;
  }

  /**
   * True while calls can be made: for a launched worker, while it runs or is being restarted;
   * false once the connection failed (for {@link #connect}), the supervisor gave up, or the
   * handle is shut down.
   */
  public boolean isOpen() {
    return core.isOpen();
  }

  /**
   * The server's address; for a launched worker, the Unix socket of the current worker (each
   * restarted worker listens on a new one).
   */
  public String address() {
    return core.address();
  }

  /** The current worker process, when this handle launched one and one runs now. */
  public Optional<ProcessHandle> worker() {
    return core.worker();
  }

  /** Calls pending on the current connection now. */
  public int pendingCalls() {
    return core.pendingCalls();
  }

  /** Answers that arrived after their call had ended (forced or failed) and were discarded. */
  public long discardedAnswers() {
    return core.discardedAnswers();
  }

  /**
   * A snapshot of the supervision of a launched worker: its state, restarts, crashes, hung
   * kills, liveness losses and the recent events with their reasons. Empty for {@link #connect}.
   * Thread-safe.
   */
  public Optional<SupervisionStats> supervision() {
    return core.supervision();
  }

  /**
   * Restarts a launched worker now (as a pool recycles one): its pending calls fail with
   * {@link WorkerRestartedException} ({@link WorkerRestartedException.Reason#REQUESTED}) and a
   * new worker takes over; requested restarts do not count against the restart intensity. Does
   * nothing unless a worker is serving.
   *
   * @throws UnsupportedOperationException for a handle made by {@link #connect}
   */
  public void restartWorker(String why) {
    if (!(core instanceof Supervisor s)) {
      throw new UnsupportedOperationException("only a launched worker can be restarted");
    }
    s.restart(Objects.requireNonNull(why, "why"));
  }

  /**
   * Starts an orderly shutdown: new calls fail at once with {@link ConnectionClosedException};
   * pending calls go on until they end; then the connection closes and a launched worker is
   * stopped (politely, then by SIGTERM and SIGKILL after the spec's shutdown timeout). Returns at
   * once; see {@link #awaitTermination}. Idempotent.
   */
  public void shutdown() {
    core.shutdown();
  }

  /**
   * Shuts down now: new calls and pending calls fail at once with
   * {@link ConnectionClosedException}; the connection closes and a launched worker is stopped.
   * Returns without waiting for the worker to be gone; see {@link #awaitTermination}.
   */
  public void shutdownNow() {
    core.shutdownNow();
  }

  /**
   * Waits until the handle is shut down and everything it owned is gone (connection closed,
   * every worker process exited, sockets deleted), at most {@code timeout}.
   *
   * @return true when terminated, false when the timeout passed first
   * @throws InterruptedException when interrupted while waiting
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return core.awaitTermination(Objects.requireNonNull(timeout, "timeout"));
  }

  /** True once the handle is shut down and everything it owned is gone. */
  public boolean isTerminated() {
    try {
      return core.awaitTermination(Duration.ZERO);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * {@link #shutdownNow()}, then waits (bounded by the shutdown timeouts) until a launched worker
   * is gone. Unlike {@code ExecutorService.close()}, pending calls are not waited for: call
   * {@link #shutdown()} and {@link #awaitTermination} first for that. Idempotent.
   */
  @Override
  public void close() {
    core.shutdownNow();
    boolean interrupted = false;
    try {
      core.awaitTermination(core.closeBound());
    } catch (InterruptedException e) {
      interrupted = true;
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "Tether[" + core.describe() + "]";
  }
}
