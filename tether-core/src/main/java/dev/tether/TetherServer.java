package dev.tether;

import dev.tether.internal.server.ExportedObject;
import dev.tether.internal.server.ServerCore;
import dev.tether.internal.server.ServerOptions;
import dev.tether.internal.server.ServerSecurity;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.transport.PrivateDirs;
import dev.tether.internal.transport.TcpProtection;
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
 * A server that exports objects by name. Each call is served on a platform thread of its own with
 * the call's cancellation context current, so the method can ask {@link Cancellation#isCancelled()}
 * (methods that have been fast lately run on the connection's reader thread instead). Orphans,
 * calls still running after their callers gave up, are counted and listed ({@link #orphans()});
 * however many spin on the CPU, the admin object and cancels are still served, and new calls are
 * served or, past {@link Builder#maxOrphans the orphan cap}, refused at once.
 *
 * <pre>{@code
 * try (TetherServer server = TetherServer.builder()
 *     .export("calc", Calculator.class, new CalculatorImpl())
 *     .listen("tcp:127.0.0.1:7000")
 *     .sharedSecrets(SharedSecret.of("k1", secretBytes)) // TCP needs TLS, a secret, or insecure
 *     .start()) {
 *   ...
 * }
 * }</pre>
 *
 * <p>Every server also exports a {@link TetherAdmin} under {@link TetherAdmin#NAME}.
 *
 * <p>Lifecycle, like the JDK's executors: {@link #shutdown()} stops accepting connections and calls
 * and lets running calls finish, their answers reaching their callers; {@link #shutdownNow()}
 * also cancels what still runs and closes every connection; {@link #awaitTermination(Duration)}
 * waits for the end; {@link #close()} (try-with-resources) is shutdown, a wait bounded by the
 * drain timeout for the answers callers still wait for, then shutdownNow. All are safe to call
 * from any thread, at any time, any number of times.
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

  /**
   * Starts an orderly shutdown and returns at once: the server stops listening (new connections
   * are refused), every client is told the server is going away, and a call that arrives
   * afterwards fails on its caller with a {@link ConnectionClosedException} (code
   * {@link ErrorCode#UNAVAILABLE}, "server shutting down"); nothing of it runs. Calls already
   * running go on, and their answers reach their callers, as do result streams still flowing;
   * each connection closes once its client waits for no more answers or stream data. Orphans
   * (calls whose callers gave up) go on running. Idempotent.
   */
  public void shutdown() {
    core.shutdown();
    deletePrivateSocket();
  }

  /**
   * {@link #shutdown()}, then closes every connection at once: each call still running is
   * cancelled (its method sees {@link Cancellation#isCancelled()}, and is interrupted if it opted
   * in) and its caller fails with a {@link ConnectionClosedException}. A method that ignores the
   * cancel runs on as an orphan: no thread can be stopped safely, so only the end of the process
   * ends it. Idempotent.
   */
  public void shutdownNow() {
    core.shutdownNow();
    deletePrivateSocket();
  }

  /** True once {@link #shutdown()}, {@link #shutdownNow()} or {@link #close()} was called. */
  public boolean isShutdown() {
    return core.isShutdown();
  }

  /**
   * True once the server is shut down, every connection is closed and no call runs, orphans
   * included.
   */
  public boolean isTerminated() {
    return core.isTerminated();
  }

  /**
   * Waits until the server {@link #isTerminated() terminated}, at most {@code timeout}. An orphan
   * that ignores cancellation keeps a server from terminating: then this returns false.
   *
   * @return true when terminated, false when the timeout passed first
   * @throws InterruptedException when interrupted while waiting
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    return core.awaitTermination(timeout.isNegative() ? 0 : saturatedNanos(timeout));
  }

  /**
   * Drains and stops the server: {@link #shutdown()}, then waits up to the drain timeout
   * ({@link Builder#drainTimeout}, default 2 s) until every answer and result stream a caller
   * waits for has been delivered, then {@link #shutdownNow()} for whatever still runs. Does not
   * wait for orphans. Idempotent; an interrupt ends the wait early and stays set.
   */
  @Override
  public void close() {
    core.close();
    deletePrivateSocket();
  }

  private void deletePrivateSocket() {
    if (privateSocket != null) {
      PrivateDirs.deleteSocketAndDir(privateSocket, true);
    }
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
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

  /** Default of {@link Builder#maxCallThreads}. */
  public static final int DEFAULT_MAX_CALL_THREADS = 1024;

  /** Default of {@link Builder#maxOrphans}: the orphan cap. */
  public static final int DEFAULT_MAX_ORPHANS = 64;

  /** Default multiple of {@link Builder#maxDecodedBytes}. */
  public static final int DEFAULT_DECODE_MULTIPLE = 16;

  /** Default bound of {@link Builder#maxDecodedBytes}: 64 MiB. */
  public static final long DEFAULT_MAX_DECODED_BYTES = 64L * 1024 * 1024;

  /** Default of {@link Builder#maxConnections}. */
  public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

  /** Default of {@link Builder#maxCallsPerConnection}. */
  public static final int DEFAULT_MAX_CALLS_PER_CONNECTION = 16_384;

  /** Default of {@link Builder#failedConnectionRate}. */
  public static final int DEFAULT_FAILED_CONNECTION_RATE = 50;

  /** Describes a server: what it exports, where it listens, its limits. */
  public static final class Builder {
    private final Map<String, ExportedObject> exports = new LinkedHashMap<>();
    private final List<Endpoint> endpoints = new ArrayList<>();
    private int maxFrameBytes = FrameKind.DEFAULT_MAX_FRAME_BYTES;
    private Duration handshakeTimeout = Duration.ofSeconds(10);
    private Duration drainTimeout = Duration.ofSeconds(2);
    private String description = "tether server pid " + ProcessHandle.current().pid();
    private int maxCallThreads = DEFAULT_MAX_CALL_THREADS;
    private int maxOrphans = DEFAULT_MAX_ORPHANS;
    private Duration spin = TetherOptions.DEFAULT_SPIN;
    private long connectionBufferBytes; // 0: the default, from maxFrameBytes
    private long serverBufferBytes; // 0: the default, from the heap
    private int decodeMultiple = DEFAULT_DECODE_MULTIPLE;
    private long maxDecodedBytes; // 0: the default, from the heap
    private Duration writeStallTimeout = Duration.ofSeconds(30);
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private int maxCallsPerConnection = DEFAULT_MAX_CALLS_PER_CONNECTION;
    private Duration idleTimeout = Duration.ZERO;
    private int failedConnectionRate = DEFAULT_FAILED_CONNECTION_RATE;
    private CallListener callListener;
    private ConcurrencyLimit concurrencyLimit;
    private IncomingCallFilter incomingCallFilter;
    private TlsSettings tls; // null: plain TCP
    private int streamWindowBytes = TetherOptions.DEFAULT_STREAM_WINDOW_BYTES;

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
     * fresh private directory. A TCP address needs TLS, {@link #sharedSecrets} or
     * {@link #insecurePlaintextTcp()}, else {@link #start()} refuses (see docs/SECURITY.md).
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
     * The most calls the server runs at once, orphans not counted. Each call runs on a platform
     * thread of its own (reused when idle): the OS preempts them, so methods that spin on the CPU
     * without checking for cancellation share the CPU but never stall other calls, the admin
     * object or cancels (virtual threads would: they are not preempted). A call beyond this bound
     * is refused at once with {@link ErrorCode#SERVER_EXHAUSTED}; nothing of it runs. A call
     * whose method returned a {@code CompletableFuture} holds no thread while it waits for it and
     * does not count. Calls to the admin object are never refused and run on the connection's
     * reader. Default 1024.
     */
    public Builder maxCallThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("maxCallThreads must be at least 1: " + threads);
      }
      this.maxCallThreads = threads;
      return this;
    }

    /**
     * The orphan cap: when this many stuck orphans (calls still running over 2 s after their
     * callers gave up, see {@link TetherServer#orphans()}; younger ones are usually winding up
     * after a cancel) run at once, the server is exhausted: every new call,
     * except to the admin object, is refused at once with {@link ErrorCode#SERVER_EXHAUSTED}
     * until orphans end. Orphans that ignore cancellation end only with the process, so a
     * supervisor should restart a worker that answers this. Default 64.
     */
    public Builder maxOrphans(int orphans) {
      if (orphans < 1) {
        throw new IllegalArgumentException("maxOrphans must be at least 1: " + orphans);
      }
      this.maxOrphans = orphans;
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

    // ---- memory budgets (issue 10) ----

    /**
     * Per connection, the most bytes buffered for it: frames being read, the arguments of its
     * running calls, and results waiting to be written to it. At the limit the server stops
     * reading the connection (its client's writes block in TCP) until answers go out; nothing
     * is refused and nothing is allocated beyond it. Must be at least {@link #maxFrameBytes}.
     * Default: twice {@code maxFrameBytes} (32 MiB).
     */
    public Builder maxConnectionBufferBytes(long bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maxConnectionBufferBytes must be at least 1 KiB: "
            + bytes);
      }
      this.connectionBufferBytes = bytes;
      return this;
    }

    /**
     * For all connections together, the most bytes buffered for frames being read and the
     * arguments of running calls (results waiting to be written count only for their own
     * connection, so a client that does not read stops only itself). At the limit the server
     * stops reading connections until calls end. Must be at least {@link #maxFrameBytes}.
     * Default: a quarter of the maximum heap, at least {@code maxFrameBytes}, at most 1 GiB.
     */
    public Builder maxServerBufferBytes(long bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maxServerBufferBytes must be at least 1 KiB: " + bytes);
      }
      this.serverBufferBytes = bytes;
      return this;
    }

    /**
     * Bounds the memory a call's arguments decode to: at most {@code multiple} times the size of
     * the call's frame (but always 64 KiB), and never more than {@code maxBytes}, as estimated
     * while decoding (an object header per object, a reference per element, the characters of
     * strings). A call beyond it is refused with {@link ErrorCode#RESOURCE_EXHAUSTED}; nothing of
     * it runs and the connection stays usable. Defaults: 16 times, 64 MiB (or an eighth of the
     * maximum heap, if that is less).
     */
    public Builder maxDecodedBytes(int multiple, long maxBytes) {
      if (multiple < 1 || maxBytes < 1024) {
        throw new IllegalArgumentException("maxDecodedBytes wants a multiple of at least 1 and at"
            + " least 1 KiB: " + multiple + ", " + maxBytes);
      }
      this.decodeMultiple = multiple;
      this.maxDecodedBytes = maxBytes;
      return this;
    }

    /**
     * How long a write to a client may make no progress (the client does not read) before the
     * server closes that connection; its calls are cancelled like those of a client that left.
     * Meanwhile its answers are queued only up to {@link #maxConnectionBufferBytes}, after which
     * the connection is not read. Default 30 s.
     */
    public Builder writeStallTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("writeStallTimeout must be positive: " + timeout);
      }
      this.writeStallTimeout = timeout;
      return this;
    }

    private long connectionBuffer() {
      long bytes = connectionBufferBytes > 0 ? connectionBufferBytes : 2L * maxFrameBytes;
      if (bytes < maxFrameBytes) {
        throw new IllegalArgumentException("maxConnectionBufferBytes (" + bytes
            + ") must be at least maxFrameBytes (" + maxFrameBytes + ")");
      }
      return bytes;
    }

    private long serverBuffer() {
      long bytes = serverBufferBytes > 0 ? serverBufferBytes
          : Math.max(maxFrameBytes, Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 4));
      if (bytes < maxFrameBytes) {
        throw new IllegalArgumentException("maxServerBufferBytes (" + bytes
            + ") must be at least maxFrameBytes (" + maxFrameBytes + ")");
      }
      return bytes;
    }

    /**
     * The most connections the server keeps open at once. A client that connects beyond it is
     * told why in a GOAWAY with {@link ErrorCode#SERVER_EXHAUSTED} (its {@code Tether.connect}
     * fails with that message) and the connection is closed; nothing waits or hangs. Counted in
     * {@link ServerStats#connectionsRefused()}. Default 10,000.
     */
    public Builder maxConnections(int connections) {
      if (connections < 1) {
        throw new IllegalArgumentException("maxConnections must be at least 1: " + connections);
      }
      this.maxConnections = connections;
      return this;
    }

    /**
     * The most calls one connection may have running at once, counting calls waiting for a
     * {@code CompletableFuture} their method returned and orphans of that connection (calls of
     * the admin object are exempt). A call beyond it is answered at once with
     * {@link ErrorCode#RESOURCE_EXHAUSTED} (nothing of it runs); the connection stays usable. The
     * server-wide bound on calls holding threads is {@link #maxCallThreads}; this one mostly
     * bounds asynchronous calls, which hold no thread (a client may keep 10,000 pending on one
     * connection). Default 16,384.
     */
    public Builder maxCallsPerConnection(int calls) {
      if (calls < 1) {
        throw new IllegalArgumentException("maxCallsPerConnection must be at least 1: " + calls);
      }
      this.maxCallsPerConnection = calls;
      return this;
    }

    /**
     * How long a connection may stay idle (no call running or owing an answer, and no frame
     * received) before the server tells it to go away (GOAWAY with {@link ErrorCode#UNAVAILABLE}
     * and a message that says it was idle) and closes it. A {@link Tether} does not reconnect:
     * its next call fails with a {@link ConnectionClosedException} that says so, and the caller
     * connects again. {@link Duration#ZERO} (the default) never closes idle connections: idle
     * connections hold no thread, and {@link #maxConnections} bounds them. Use it for servers
     * that many short-lived clients reach over TCP.
     */
    public Builder idleTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("idleTimeout must not be negative: " + timeout);
      }
      this.idleTimeout = timeout;
      return this;
    }

    /**
     * How many failed connections a second the server takes before it slows down accepting new
     * ones. A connection fails when its peer breaks the protocol (garbage, a frame before HELLO),
     * fails to authenticate (peer credentials, TLS, shared secret) or does not complete the
     * handshake within {@link #handshakeTimeout}. Each failure adds to a server-wide debt that
     * drains at this rate; while it is more than one second's worth, the server accepts one new
     * connection per {@code 1 / perSecond} and the rest wait in the kernel's backlog (their
     * {@code Tether.connect} waits, or times out). A peer that opens connections only to send
     * garbage then costs the server {@code perSecond} connections a second, not both cores, and
     * clients already connected are not affected at all. A pause never lasts more than 4 s
     * after failures stop. Default 50.
     *
     * @throws IllegalArgumentException if {@code perSecond} is below 1
     */
    public Builder failedConnectionRate(int perSecond) {
      if (perSecond < 1) {
        throw new IllegalArgumentException("failedConnectionRate must be at least 1 a second: "
            + perSecond);
      }
      this.failedConnectionRate = perSecond;
      return this;
    }

    // ---- security (issue 11) ----

    private UnixPeerPolicy unixPeers = UnixPeerPolicy.sameUser();
    private final Map<String, SharedSecret> secrets = new LinkedHashMap<>();
    private boolean insecurePlaintextTcp;
    private boolean adminObject = true;

    /**
     * Who may connect on this server's Unix-domain sockets; default
     * {@link UnixPeerPolicy#sameUser()}. The kernel's record of the connecting process's user and
     * group is checked on accept, before the server reads anything; a refused peer gets GOAWAY
     * with {@link ErrorCode#UNAUTHENTICATED} and is counted in {@link ServerStats#authFailures()}.
     * The socket's directory and file stay private to this user whatever the policy: admitting
     * another user also needs a socket path that user can reach.
     */
    public Builder unixPeers(UnixPeerPolicy policy) {
      this.unixPeers = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Requires every TCP client to prove it knows one of these secrets (the server proves it
     * too); several allow rotating keys: clients name the one they hold by its key id. Adds to
     * those given before. Unix-domain and {@code mem:} connections do not use them.
     *
     * @throws IllegalArgumentException when none is given, or two different secrets share a key id
     */
    public Builder sharedSecrets(SharedSecret... secrets) {
      Objects.requireNonNull(secrets, "secrets");
      if (secrets.length == 0) {
        throw new IllegalArgumentException("give at least one shared secret");
      }
      for (SharedSecret s : secrets) {
        SharedSecret old = this.secrets.putIfAbsent(s.keyId(), Objects.requireNonNull(s, "secret"));
        if (old != null && !old.equals(s)) {
          throw new IllegalArgumentException("two different shared secrets have key id "
              + s.keyId());
        }
      }
      return this;
    }

    /**
     * Allows TCP without TLS or a shared secret: INSECURE. Anyone who can reach the port can call
     * every exported method (the admin object excepted), and anyone on the path can read and
     * change the traffic. Use it only on networks where every host is trusted, or for tests. A
     * warning is logged once per process.
     */
    public Builder insecurePlaintextTcp() {
      this.insecurePlaintextTcp = true;
      return this;
    }

    /**
     * Whether to export the admin object {@link TetherAdmin#NAME} (statistics and orphans for
     * {@code tether inspect}); default true. It is served only to authenticated peers: Unix
     * peers, shared-secret and TLS client-certificate peers, and the same process; never over
     * insecure plain TCP.
     */
    public Builder adminObject(boolean enabled) {
      this.adminObject = enabled;
      return this;
    }

    private ServerSecurity security(List<Endpoint> where) {
      if (where.stream().anyMatch(e -> e.scheme().equals("tcp"))) {
        String refused = TcpProtection.refusal(tls != null, !secrets.isEmpty(), insecurePlaintextTcp,
            "server", "TetherServer.Builder.tls(...), .sharedSecrets(...) or"
            + " .insecurePlaintextTcp()");
        if (refused != null) {
          throw new TetherException(ErrorCode.UNAUTHENTICATED, "cannot listen on "
              + where.stream().filter(e -> e.scheme().equals("tcp")).findFirst().orElseThrow()
              + ": " + refused);
        }
      }
      Map<String, byte[]> keys = new LinkedHashMap<>();
      secrets.forEach((id, s) -> keys.put(id, s.secretBytes()));
      return new ServerSecurity(unixPeers, Map.copyOf(keys), insecurePlaintextTcp, adminObject);
    }


    // ---- observability (issue 13) ----

    /**
     * Observes every call this server serves, except calls to the admin object: start (where a
     * listener may add metadata the method and its nested calls see), cancel, end with outcome,
     * bytes and metadata. Its callbacks run on call threads, never on a connection's reader, so
     * with a listener the server no longer runs fast calls inline on the reader (a call costs a
     * thread hand-off more); see {@link CallListener}. Null (the default) removes it.
     */
    public Builder callListener(CallListener listener) {
      this.callListener = listener;
      return this;
    }

    // ---- message filters (issue 12) ----

    /**
     * Sheds load: at most {@code limit}'s calls in flight at once ({@link ConcurrencyLimit#fixed}
     * or {@link ConcurrencyLimit#adaptive()}); a call beyond it is refused at once as busy
     * ({@link ErrorCode#SERVER_BUSY}; nothing of it runs; the caller's {@link RetryPolicy} may
     * retry). Checked on the connection's reader before any thread is spent. Default: none (calls
     * are bounded only by {@link #maxCallThreads} and {@link #maxCallsPerConnection}).
     */
    public Builder concurrencyLimit(ConcurrencyLimit limit) {
      this.concurrencyLimit = Objects.requireNonNull(limit, "limit");
      return this;
    }

    /**
     * Lets {@code filter} accept, reject or answer "busy" to every call before its method runs
     * (see {@link IncomingCallFilter} for the thread it runs on). Default: none.
     */
    public Builder incomingCallFilter(IncomingCallFilter filter) {
      this.incomingCallFilter = Objects.requireNonNull(filter, "filter");
      return this;
    }

    /**
     * Serves TCP addresses over TLS 1.3 with {@code tls}, which must hold the server's identity
     * (its certificate and key); with {@link TlsSettings#requireClientCertificate()} every client
     * must present a certificate the settings trust (mutual TLS). The handshake runs on each
     * connection's own reader thread, never the accepting one, bounded by
     * {@link #handshakeTimeout}; a peer that fails it is closed before anything it sent is read as
     * a call, counted in {@link ServerStats#authFailures()} and logged. Unix-domain and in-memory
     * addresses are not affected. Default: none (plain TCP).
     *
     * @throws IllegalArgumentException when the settings have no identity
     */
    public Builder tls(TlsSettings tls) {
      Objects.requireNonNull(tls, "tls");
      if (!tls.hasIdentity()) {
        throw new IllegalArgumentException("a TLS server needs its certificate and key: "
            + "TlsSettings.create().identity(...) or .identityFromPem(...)");
      }
      this.tls = tls;
      return this;
    }

    // ---- streams (issue 15) ----

    /**
     * Credit the server grants each stream it receives (an {@code InputStream} or
     * {@code Stream<T>} argument): the most bytes a client may send ahead of the method reading
     * them, so the memory one argument stream can hold here (default 1 MiB, as
     * {@link TetherOptions#DEFAULT_STREAM_WINDOW_BYTES}, which over TCP grows to 4 MiB while the
     * method keeps up; 16 KiB to 64 MiB; another configured size is fixed). A connection receives
     * at most 16 streams at once, so its stream buffers stay under 16 windows.
     *
     * @throws IllegalArgumentException outside 16 KiB to 64 MiB
     */
    public Builder streamWindowBytes(int bytes) {
      this.streamWindowBytes = dev.tether.internal.stream.StreamLimits.checkWindow(bytes);
      return this;
    }

    /**
     * Binds every address and starts serving.
     *
     * @throws TetherException with {@link ErrorCode#UNAVAILABLE} when an address cannot be bound
     *     (in use, a host that does not resolve, a socket directory others can read); the
     *     message names the address. Nothing stays bound.
     * @throws TetherException with {@link ErrorCode#UNAUTHENTICATED} when a TCP address has
     *     neither TLS nor a shared secret nor {@link #insecurePlaintextTcp()}; nothing is bound
     */
    public TetherServer start() {
      List<Endpoint> where = new ArrayList<>(endpoints);
      ServerSecurity security = security(where);
      AdminObject admin = new AdminObject();
      Map<String, ExportedObject> all = new LinkedHashMap<>(exports);
      if (adminObject) {
        all.putIfAbsent(TetherAdmin.NAME,
            new ExportedObject(TetherAdmin.NAME, TetherAdmin.class, admin, false));
      }
      Path privateSocket = null;
      try {
        if (where.isEmpty()) {
          privateSocket = PrivateDirs.create(!unixPeers.users().isEmpty()
              || !unixPeers.groups().isEmpty()).resolve("server.sock");
          where.add(Endpoint.unix(privateSocket));
        }
        ServerCore core = new ServerCore(all, where,
            new ServerOptions(maxFrameBytes, handshakeTimeout, drainTimeout, description,
                maxCallThreads, spin.toNanos(), maxOrphans, connectionBuffer(), serverBuffer(),
                decodeMultiple, maxDecodedBytes > 0 ? maxDecodedBytes : Math.min(
                    DEFAULT_MAX_DECODED_BYTES, Runtime.getRuntime().maxMemory() / 8),
                writeStallTimeout, maxConnections, maxCallsPerConnection, idleTimeout,
                security, callListener, concurrencyLimit, incomingCallFilter,
                tls == null ? null : Tether.tlsConfig(tls), failedConnectionRate,
                streamWindowBytes));
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
