package dev.tether;

import dev.tether.internal.wire.FrameKind;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a client connection: limits and liveness. Immutable; start from
 * {@link #defaults()} and change what you need with the {@code with} methods.
 */
public final class TetherOptions {
  /** Default of {@link #withSpin}: 50 µs. */
  public static final Duration DEFAULT_SPIN = Duration.ofNanos(50_000);

  private static final TetherOptions DEFAULTS = new TetherOptions(FrameKind.DEFAULT_MAX_FRAME_BYTES,
      Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(3), DEFAULT_SPIN, null);

  private final int maxFrameBytes;
  private final Duration connectTimeout;
  private final Duration pingInterval;
  private final Duration pingTimeout;
  private final Duration spin;
  private final TlsSettings tls; // null: plain

  private TetherOptions(int maxFrameBytes, Duration connectTimeout, Duration pingInterval,
      Duration pingTimeout, Duration spin, TlsSettings tls) {
    this.maxFrameBytes = maxFrameBytes;
    this.connectTimeout = connectTimeout;
    this.pingInterval = pingInterval;
    this.pingTimeout = pingTimeout;
    this.spin = spin;
    this.tls = tls;
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
        spin, tls);
  }

  /** Bound on connecting, the handshake and resolving an object with {@link Tether#get}. */
  public TetherOptions withConnectTimeout(Duration timeout) {
    return new TetherOptions(maxFrameBytes, positive(timeout, "connectTimeout"), pingInterval,
        pingTimeout, spin, tls);
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
        positive(timeout, "timeout"), spin, tls);
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
        checkSpin(spin), tls);
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
        Objects.requireNonNull(tls, "tls"));
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
        + "]";
  }
}
