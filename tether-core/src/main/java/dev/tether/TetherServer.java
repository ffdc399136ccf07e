package dev.tether;

import dev.tether.internal.server.ExportedObject;
import dev.tether.internal.server.ServerCore;
import dev.tether.internal.server.ServerOptions;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.transport.PrivateDirs;
import dev.tether.internal.wire.FrameKind;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A server that exports objects by name. Each call runs with its cancellation context current, so
 * the method can ask {@link Cancellation#isCancelled()}: on the connection's reader thread when the
 * method has been fast lately, otherwise on one of a bounded pool of reused platform threads
 * ({@link Builder#platformCallThreads}), and on a new virtual thread when all of those are busy.
 * Thread-safe.
 *
 * <pre>{@code
 * try (TetherServer server = TetherServer.builder()
 *     .export("calc", Calculator.class, new CalculatorImpl())
 *     .listen("tcp:127.0.0.1:7000")
 *     .start()) {
 *   ...
 * }
 * }</pre>
 *
 * <p>Every server also exports a {@link TetherAdmin} under {@link TetherAdmin#NAME}.
 *
 * <p>Closing stops accepting, tells clients to go away, gives running calls the drain timeout to
 * finish, then cancels the rest and closes every connection.
 */
public final class TetherServer implements AutoCloseable {
  private final ServerCore core;
  private final Path privateSocket;

  private TetherServer(ServerCore core, Path privateSocket) {
    this.core = core;
    this.privateSocket = privateSocket;
  }

  /** Starts describing a server. */
  public static Builder builder() {
    return new Builder();
  }

  /** The first address clients can pass to {@link Tether#connect(String)}. */
  public String address() {
    return core.endpoints().get(0).toString();
  }

  /** Every address the server listens on. */
  public List<String> addresses() {
    return core.endpoints().stream().map(Endpoint::toString).toList();
  }

  /** A snapshot of the server's activity. */
  public ServerStats stats() {
    return core.stats();
  }

  /** Calls running now whose callers gave up, longest running first. */
  public List<OrphanedCall> orphans() {
    return core.orphans().snapshot();
  }

  /** Drains and stops the server (see the class description). Idempotent. */
  @Override
  public void close() {
    core.close();
    if (privateSocket != null) {
      PrivateDirs.deleteSocketAndDir(privateSocket, true);
    }
  }

  /** The {@link TetherAdmin} every server exports. */
  private static final class AdminObject implements TetherAdmin {
    volatile TetherServer server;

    @Override
    public ServerStats stats() {
      return server.stats();
    }

    @Override
    public List<OrphanedCall> orphans() {
      return server.orphans();
    }
  }

  /** Describes a server: what it exports, where it listens, its limits. */
  public static final class Builder {
    private final Map<String, ExportedObject> exports = new LinkedHashMap<>();
    private final List<Endpoint> endpoints = new ArrayList<>();
    private int maxFrameBytes = FrameKind.DEFAULT_MAX_FRAME_BYTES;
    private Duration handshakeTimeout = Duration.ofSeconds(10);
    private Duration drainTimeout = Duration.ofSeconds(2);
    private String description = "tether server pid " + ProcessHandle.current().pid();
    private int platformCallThreads = 64;
    private Duration spin = TetherOptions.DEFAULT_SPIN;

    private Builder() {}

    /**
     * Exports {@code implementation} under {@code name} as {@code iface}.
     *
     * @throws IllegalArgumentException when {@code iface} uses a type Tether cannot carry (the
     *     message names the method and type), the implementation does not implement it, or the
     *     name is taken
     */
    public <T> Builder export(String name, Class<T> iface, T implementation) {
      return export(name, iface, implementation, false);
    }

    /**
     * Like {@link #export(String, Class, Object)}; with {@code interruptOnCancel} every method's
     * serving thread is interrupted when its call is cancelled (see {@link InterruptOnCancel}).
     */
    public <T> Builder export(String name, Class<T> iface, T implementation,
        boolean interruptOnCancel) {
      Objects.requireNonNull(iface, "iface");
      if (exports.containsKey(name)) {
        throw new IllegalArgumentException("'" + name + "' is already exported");
      }
      exports.put(name, new ExportedObject(name, iface, implementation, interruptOnCancel));
      return this;
    }

    /**
     * Adds an address to listen on: {@code unix:/path/sock} (its directory must be private to
     * this user, and is created so if missing), {@code tcp:host:port} (port 0 picks a free port),
     * or {@code mem:name} (this JVM only). Without any, the server listens on a Unix socket in a
     * fresh private directory.
     */
    public Builder listen(String address) {
      endpoints.add(Endpoint.parse(address));
      return this;
    }

    /**
     * Largest message (one call with its arguments) accepted from clients, in bytes (at least
     * 1 KiB). Default 16 MiB. Clients learn it in the handshake and fail a larger call with
     * {@link ErrorCode#RESOURCE_EXHAUSTED} before sending it.
     */
    public Builder maxFrameBytes(int bytes) {
      this.maxFrameBytes = TetherOptions.checkMaxFrameBytes(bytes);
      return this;
    }

    /** Time a new connection has to complete its handshake. Default 10 s. */
    public Builder handshakeTimeout(Duration timeout) {
      this.handshakeTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** On close, how long running calls may take to finish before they are cancelled. Default 2 s. */
    public Builder drainTimeout(Duration timeout) {
      this.drainTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Calls run on up to this many reused platform threads, and on virtual threads beyond that.
     * Platform threads are preempted by the OS, so methods that spin on the CPU without ever
     * checking for cancellation cannot stall other calls; virtual threads make thousands of blocked
     * calls cheap. Default 64; 0 runs every call on a virtual thread.
     */
    public Builder platformCallThreads(int threads) {
      if (threads < 0) {
        throw new IllegalArgumentException("platformCallThreads must not be negative: " + threads);
      }
      this.platformCallThreads = threads;
      return this;
    }

    /**
     * The idle strategy: how long a connection's reader polls for the next request after each one
     * before it blocks (see {@link TetherOptions#withSpin}). Default 50 µs; zero never polls.
     */
    public Builder spin(Duration spin) {
      this.spin = TetherOptions.checkSpin(spin);
      return this;
    }

    /** How the server introduces itself to clients (shows in their error messages). */
    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description");
      return this;
    }

    /**
     * Binds every address and starts serving.
     *
     * @throws TetherException with {@link ErrorCode#UNAVAILABLE} when an address cannot be bound
     *     (in use, a host that does not resolve, a socket directory others can read); the
     *     message names the address. Nothing stays bound.
     */
    public TetherServer start() {
      List<Endpoint> where = new ArrayList<>(endpoints);
      AdminObject admin = new AdminObject();
      Map<String, ExportedObject> all = new LinkedHashMap<>(exports);
      all.putIfAbsent(TetherAdmin.NAME,
          new ExportedObject(TetherAdmin.NAME, TetherAdmin.class, admin, false));
      Path privateSocket = null;
      try {
        if (where.isEmpty()) {
          privateSocket = PrivateDirs.create().resolve("server.sock");
          where.add(Endpoint.unix(privateSocket));
        }
        ServerCore core = new ServerCore(all, where,
            new ServerOptions(maxFrameBytes, handshakeTimeout, drainTimeout, description,
                platformCallThreads, spin.toNanos()));
        TetherServer server = new TetherServer(core, privateSocket);
        admin.server = server;
        return server;
      } catch (IOException e) {
        if (privateSocket != null) {
          PrivateDirs.deleteSocketAndDir(privateSocket, true);
        }
        throw new TetherException(ErrorCode.UNAVAILABLE, e.getMessage(), e);
      }
    }
  }
}
