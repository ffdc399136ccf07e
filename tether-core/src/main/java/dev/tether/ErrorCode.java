package dev.tether;

/**
 * Why a Tether operation failed: the code of every {@link TetherException}. Each code has a fixed
 * number that travels on the wire; numbers are never reused or renumbered.
 */
public enum ErrorCode {
  /** The call was cancelled: by {@link Cancellation}, a {@link CancelScope}, or an interrupt. */
  CANCELLED(1),
  /** The call's deadline passed before it completed. */
  DEADLINE_EXCEEDED(2),
  /**
   * The peer or the address is not available: the connection is closed, could not be made, or
   * the peer went away (a call pending then may or may not have run), a worker could not start,
   * or a server cannot listen on its address (in use, unresolvable, not private).
   */
  UNAVAILABLE(3),
  /** The server method threw; see {@link RemoteException}. */
  REMOTE_EXCEPTION(4),
  /** A peer broke the protocol (bad frame, unknown message, undecodable value). */
  PROTOCOL_ERROR(5),
  /** No object is exported under the requested name (a missing method is {@link #INCOMPATIBLE}). */
  NOT_FOUND(6),
  /** The two sides disagree on an interface: a method, record or enum differs. */
  INCOMPATIBLE(7),
  /**
   * The server's incoming-call filter rejected the call ({@code CallVerdict.reject}): nothing of
   * it ran, and asking again will not help. Thrown as a {@link CallRefusedException}; never
   * retried.
   */
  REJECTED(8),
  /**
   * Authentication failed or is missing, and nothing of the caller's was served: the server
   * refused the client (a Unix user its {@link UnixPeerPolicy} does not admit, a wrong or missing
   * {@link SharedSecret}), the client refused the server (it could not prove it knows the secret),
   * a TCP address was used without TLS, a shared secret or the explicitly insecure option (on
   * either side, before anything is sent or bound), or the admin object was asked for over a
   * connection nobody authenticated; over TLS, the server's certificate is not trusted or names
   * another host, or the server requires a client certificate this client does not have or it
   * does not trust. The message says which. See docs/SECURITY.md.
   */
  UNAUTHENTICATED(9),
  /**
   * A bug or an unexpected failure inside Tether itself; also what a code this version does not
   * know decodes to (see {@link #fromWire}).
   */
  INTERNAL(10),
  /**
   * A limit was reached: a call's arguments or a result are larger than the receiving side's
   * frame limit ({@code maxFrameBytes}), or the connection already has the most calls running
   * that the server allows one connection ({@code maxCallsPerConnection}). Nothing of the call
   * ran; the connection stays usable.
   */
  RESOURCE_EXHAUSTED(11),
  /**
   * A call's argument values cannot be sent (for example nested deeper than 512 levels, or a
   * collection that changed while it was being encoded). Nothing was sent.
   */
  INVALID_ARGUMENT(12),
  /**
   * The worker process died without being asked to (it exited, crashed or was killed by a
   * signal); see {@link WorkerCrashedException} for its exit code, signal and standard error.
   */
  WORKER_CRASHED(15),
  /**
   * The supervisor killed the worker because it was hung: a call its caller had given up on was
   * still running after the policy's limit, or the worker could no longer serve. See
   * {@link WorkerRestartedException}.
   */
  WORKER_HUNG(16),
  /** The peer stopped answering liveness pings (stopped, deadlocked, in a GC death spiral). */
  LIVENESS_LOST(17),
  /**
   * The worker was taken out of service for a restart or a recycle that no fault of its own
   * caused; see {@link WorkerRestartedException}.
   */
  WORKER_RESTARTED(18),
  /**
   * The worker could not be started, or its supervisor gave up restarting it (too many restarts
   * in the policy's period); see {@link WorkerStartException} and {@link WorkerFailedException}.
   */
  WORKER_FAILED(19),
  /**
   * The server has no capacity left for the call (too many calls running, or too many orphaned
   * calls still running after their callers gave up) or for a new connection (it has
   * {@code maxConnections} open: the GOAWAY that refuses it carries this code); nothing of the
   * call ran. Unlike
   * {@link #RESOURCE_EXHAUSTED}, the call itself is fine: another server may take it, and a
   * server that keeps answering this needs a restart.
   */
  SERVER_EXHAUSTED(20),
  /**
   * No worker of a {@link TetherPool} became free within the pool's maximum wait, too many callers
   * were already waiting, or no worker could be started. The call was never sent.
   */
  POOL_EXHAUSTED(22),
  /**
   * The server is busy and refused the call before running it (its concurrency limit or its
   * incoming-call filter said "busy, retry later", perhaps with a retry-after hint). Nothing of
   * the call ran, so it is safe to try again: the client's {@link RetryPolicy} does, and
   * {@link ServerBusyException} says why it stopped.
   */
  SERVER_BUSY(24),
  /**
   * Settings that refer to things outside the program cannot be used: a key store, certificate
   * or private key that cannot be read or parsed, or a password that does not open a key (see
   * {@link TlsSettings}). Fix the settings; retrying does not help.
   */
  INVALID_CONFIGURATION(21);

  private static final ErrorCode[] BY_WIRE = new ErrorCode[64];

  static {
    for (ErrorCode c : values()) {
      BY_WIRE[c.wire] = c;
    }
  }

  private final int wire;

  ErrorCode(int wire) {
    this.wire = wire;
  }

  /** The number that represents this code on the wire. */
  public int wireValue() {
    return wire;
  }

  /** The code for a wire number; {@link #INTERNAL} for a number this version does not know. */
  public static ErrorCode fromWire(int value) {
    ErrorCode c = value >= 0 && value < BY_WIRE.length ? BY_WIRE[value] : null;
    return c == null ? INTERNAL : c;
  }
}
