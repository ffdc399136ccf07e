package dev.tether;

import dev.tether.internal.stream.StreamLimits;
import dev.tether.internal.wire.FrameKind;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a client connection: limits and liveness. Immutable; start from
 * {@link #defaults()} and change what you need with the {@code with} methods.
 */
public final class TetherOptions {
  /** Default of {@link #withStreamWindowBytes}: 1 MiB. */
  public static final int DEFAULT_STREAM_WINDOW_BYTES = StreamLimits.DEFAULT_WINDOW_BYTES;

  /** Default of {@link #withSpin}: 50 µs. */
  public static final Duration DEFAULT_SPIN = Duration.ofNanos(50_000);

  private static final TetherOptions DEFAULTS = new TetherOptions(FrameKind.DEFAULT_MAX_FRAME_BYTES,
      Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(3), DEFAULT_SPIN,
      null, false, null, ClientPolicies.NONE, null, DEFAULT_STREAM_WINDOW_BYTES);

  private final int maxFrameBytes;
  private final Duration connectTimeout;
  private final Duration pingInterval;
  private final Duration pingTimeout;
  private final Duration spin;
  private final SharedSecret sharedSecret;
  private final boolean insecurePlaintextTcp;
  private final CallListener callListener;
  private final ClientPolicies policies;
  private final TlsSettings tls; // null: plain
  private final int streamWindowBytes;

  private TetherOptions(int maxFrameBytes, Duration connectTimeout, Duration pingInterval,
      Duration pingTimeout, Duration spin, SharedSecret sharedSecret,
      boolean insecurePlaintextTcp, CallListener callListener, ClientPolicies policies,
      TlsSettings tls, int streamWindowBytes) {
    this.maxFrameBytes = maxFrameBytes;
    this.connectTimeout = connectTimeout;
    this.pingInterval = pingInterval;
    this.pingTimeout = pingTimeout;
    this.spin = spin;
    this.sharedSecret = sharedSecret;
    this.insecurePlaintextTcp = insecurePlaintextTcp;
    this.callListener = callListener;
    this.policies = policies;
    this.tls = tls;
    this.streamWindowBytes = streamWindowBytes;
  }

  /**
   * Defaults: 16 MiB frames, 10 s to connect, handshake and resolve, a ping after 1 s of silence
   * while calls are pending, the connection declared dead when that ping is not answered within
   * 3 s (so a stopped peer is detected within about 4.5 s), and 50 µs of polling before a
   * waiting thread blocks.
   */
  public static TetherOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Largest message (one result) accepted from the server, in bytes (at least 1 KiB; default
   * 16 MiB); a launched worker accepts calls up to the same size. A larger result fails the call
   * with {@link ErrorCode#RESOURCE_EXHAUSTED}; the connection stays usable.
   */
  public TetherOptions withMaxFrameBytes(int bytes) {
    return new TetherOptions(checkMaxFrameBytes(bytes), connectTimeout, pingInterval, pingTimeout,
        spin, sharedSecret, insecurePlaintextTcp, callListener, policies, tls, streamWindowBytes);
  }

  /** Bound on connecting, the handshake and resolving an object with {@link Tether#get}. */
  public TetherOptions withConnectTimeout(Duration timeout) {
    return new TetherOptions(maxFrameBytes, positive(timeout, "connectTimeout"), pingInterval,
        pingTimeout, spin, sharedSecret, insecurePlaintextTcp, callListener, policies, tls,
        streamWindowBytes);
  }

  /**
   * Liveness: while calls are pending and the server has been silent for {@code interval}, ping
   * it; if that ping is not answered within {@code timeout}, fail every pending call with
   * {@link LivenessLostException} and close. Only an unanswered ping counts: an idle spell never
   * does. Detection takes at most interval + timeout plus two ticks of a quarter of the shorter
   * one. Defaults 1 s and 3 s.
   */
  public TetherOptions withLiveness(Duration interval, Duration timeout) {
    return new TetherOptions(maxFrameBytes, connectTimeout, positive(interval, "interval"),
        positive(timeout, "timeout"), spin, sharedSecret, insecurePlaintextTcp, callListener,
        policies, tls, streamWindowBytes);
  }

  /**
   * The idle strategy: how long a thread waiting for an answer polls the socket before it blocks
   * (and, for a launched worker, how long its server polls for the next request). Polling avoids
   * waking a sleeping thread and core, which costs more than the transport itself; it costs CPU
   * only while a call is pending, at most this long per call. {@link Duration#ZERO} never polls
   * (the most polite); a few hundred microseconds suits latency-critical callers with cores to
   * spare. Default {@link #DEFAULT_SPIN}.
   */
  public TetherOptions withSpin(Duration spin) {
    return new TetherOptions(maxFrameBytes, connectTimeout, pingInterval, pingTimeout,
        checkSpin(spin), sharedSecret, insecurePlaintextTcp, callListener, policies, tls,
        streamWindowBytes);
  }

  /**
   * Connects over TLS 1.3 with {@code tls} (a {@code tcp:} address only): the server must present
   * a certificate these settings trust that names the address's host, and the client presents
   * its own identity, if the settings have one, to a server that requires it. The handshake is
   * part of connecting, bounded by {@link #withConnectTimeout}. When the server cannot be
   * authenticated (or refuses this client), {@code Tether.connect} fails with
   * {@link ErrorCode#UNAUTHENTICATED}. Default: none (plain TCP).
   */
  public TetherOptions withTls(TlsSettings tls) {
    return new TetherOptions(maxFrameBytes, connectTimeout, pingInterval, pingTimeout, spin,
        sharedSecret, insecurePlaintextTcp, callListener, policies,
        Objects.requireNonNull(tls, "tls"), streamWindowBytes);
  }

  // ---- security (issue 11) ----

  /**
   * Authenticates TCP connections with {@code secret}: the client proves it knows the secret and
   * requires the server to prove it too, so neither side talks to an impostor (see
   * {@link SharedSecret}). Unix-domain and {@code mem:} connections do not use it.
   */
  public TetherOptions withSharedSecret(SharedSecret secret) {
    return new TetherOptions(maxFrameBytes, connectTimeout, pingInterval, pingTimeout, spin,
        Objects.requireNonNull(secret, "secret"), insecurePlaintextTcp, callListener, policies, tls,
        streamWindowBytes);
  }

  /**
   * Allows connecting over TCP without TLS or a shared secret: INSECURE. Nothing proves who the
   * server is, and anyone on the path can read and change the calls. Use it only on networks
   * where every host is trusted, or for tests. A warning is logged once per process.
   */
  public TetherOptions withInsecurePlaintextTcp() {
    return new TetherOptions(maxFrameBytes, connectTimeout, pingInterval, pingTimeout, spin,
        sharedSecret, true, callListener, policies, tls, streamWindowBytes);
  }

  /** The shared secret for TCP connections, or null. */
  public SharedSecret sharedSecret() {
    return sharedSecret;
  }

  /** True when plain TCP without TLS or a secret was allowed explicitly. */
  public boolean insecurePlaintextTcp() {
    return insecurePlaintextTcp;
  }

  // ---- observability (issue 13) ----

  /**
   * Observes every call made through this connection (and, for a launched worker, through each
   * of its restarts): start, cancel, end with outcome, bytes and metadata; see
   * {@link CallListener} for the threads it runs on. Null (the default) removes it; an
   * unobserved call costs nothing extra.
   */
  public TetherOptions withCallListener(CallListener listener) {
    return new TetherOptions(maxFrameBytes, connectTimeout, pingInterval, pingTimeout, spin,
        sharedSecret, insecurePlaintextTcp, listener, policies, tls, streamWindowBytes);
  }

  /** The call listener, or null. */
  public CallListener callListener() {
    return callListener;
  }

  // ---- message filters (issue 12) ----

  /**
   * The handle's {@link RetryPolicy}: what its calls do when the server answers "busy" (and, for
   * {@link Idempotent} methods, when a dispatched attempt fails without an answer). Default
   * {@link RetryPolicy#none()}: a busy answer fails the call at once with
   * {@link ServerBusyException}.
   */
  public TetherOptions withRetryPolicy(RetryPolicy policy) {
    return with(policies.withRetry(Objects.requireNonNull(policy, "policy")));
  }

  /**
   * The {@link RetryPolicy} of the methods named {@code method} of {@code iface} (every overload),
   * instead of the handle's.
   *
   * @throws IllegalArgumentException when {@code iface} has no method of that name
   */
  public TetherOptions withRetryPolicy(Class<?> iface, String method, RetryPolicy policy) {
    Objects.requireNonNull(iface, "iface");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(policy, "policy");
    boolean found = false;
    for (java.lang.reflect.Method m : iface.getMethods()) {
      found |= m.getName().equals(method);
    }
    if (!found) {
      throw new IllegalArgumentException(iface.getName() + " has no method " + method
          + " (for a per-method retry policy)");
    }
    return with(policies.withMethod(iface, method, policy));
  }

  /**
   * Watches every call of the handle that stays pending long ({@link PendingCallWatch}); null
   * removes it. Default: none.
   */
  public TetherOptions withPendingCallWatch(PendingCallWatch watch) {
    return with(policies.withWatch(watch));
  }

  /**
   * Credit this client grants each stream it receives (an {@code InputStream} or
   * {@code Stream<T>} result): the most bytes the server may send ahead of the reader, so the
   * memory one result stream can hold here (default 1 MiB, which over TCP grows to 4 MiB while
   * the reader keeps up, draining what arrived; 16 KiB to 64 MiB; another configured size is
   * fixed). A larger window lets a fast link stay busy while the reader is slow to come back; a
   * connection receives at most 16 streams at once, so its stream buffers stay under 16 windows.
   *
   * @throws IllegalArgumentException outside 16 KiB to 64 MiB
   */
  public TetherOptions withStreamWindowBytes(int bytes) {
    return new TetherOptions(maxFrameBytes, connectTimeout, pingInterval, pingTimeout, spin,
        sharedSecret, insecurePlaintextTcp, callListener, policies, tls,
        StreamLimits.checkWindow(bytes));
  }

  /** Credit this client grants each stream it receives, in bytes. */
  public int streamWindowBytes() {
    return streamWindowBytes;
  }

  private TetherOptions with(ClientPolicies p) {
    return new TetherOptions(maxFrameBytes, connectTimeout, pingInterval, pingTimeout, spin,
        sharedSecret, insecurePlaintextTcp, callListener, p, tls, streamWindowBytes);
  }

  /** The handle's retry policy. */
  public RetryPolicy retryPolicy() {
    return policies.retry();
  }

  /** The retry policy of calls of {@code method}: its override, or the handle's. */
  public RetryPolicy retryPolicy(java.lang.reflect.Method method) {
    return policies.retryFor(Objects.requireNonNull(method, "method"));
  }

  /** The handle's pending-call watch, or null when there is none. */
  public PendingCallWatch pendingCallWatch() {
    return policies.watch();
  }

  /** The frame limit's rule, for clients and servers alike: at least 1 KiB. */
  static int checkMaxFrameBytes(int bytes) {
    if (bytes < 1024) {
      throw new IllegalArgumentException("maxFrameBytes must be at least 1024: " + bytes);
    }
    return bytes;
  }

  /** The idle strategy's rule, for clients and servers alike: 0 to 1 s. */
  static Duration checkSpin(Duration spin) {
    Objects.requireNonNull(spin, "spin");
    if (spin.isNegative() || spin.compareTo(Duration.ofSeconds(1)) > 0) {
      throw new IllegalArgumentException("spin must be between 0 and 1 s: " + spin);
    }
    return spin;
  }

  private static Duration positive(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + d);
    }
    return d;
  }

  /** Largest message accepted from the server. */
  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  /** Bound on connecting, handshaking and resolving. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** Silence while calls are pending before a ping. */
  public Duration pingInterval() {
    return pingInterval;
  }

  /** Further silence after which the connection is declared dead. */
  public Duration pingTimeout() {
    return pingTimeout;
  }

  /** How long a waiting thread polls before it blocks. */
  public Duration spin() {
    return spin;
  }

  /** The TLS settings of {@link #withTls}, if any. */
  public java.util.Optional<TlsSettings> tls() {
    return java.util.Optional.ofNullable(tls);
  }

  @Override
  public String toString() {
    return "TetherOptions[maxFrameBytes=" + maxFrameBytes + ", connectTimeout=" + connectTimeout
        + ", pingInterval=" + pingInterval + ", pingTimeout=" + pingTimeout + ", spin=" + spin
        + (sharedSecret == null ? "" : ", sharedSecret=" + sharedSecret)
        + (insecurePlaintextTcp ? ", insecurePlaintextTcp" : "")
        + (callListener == null ? "" : ", callListener=" + callListener)
        + (streamWindowBytes == DEFAULT_STREAM_WINDOW_BYTES ? ""
            : ", streamWindowBytes=" + streamWindowBytes) + "]";
  }
}
