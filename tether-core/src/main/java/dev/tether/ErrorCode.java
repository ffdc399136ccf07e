package dev.tether;

/**
 * Why a Tether call failed. Each code has a fixed number that travels on the wire; numbers are
 * never reused.
 */
public enum ErrorCode {
  /** The call was cancelled: by {@link Cancellation}, a {@link CancelScope}, or an interrupt. */
  CANCELLED(1),
  /** The call's deadline passed before it completed. */
  DEADLINE_EXCEEDED(2),
  /** The connection is closed or the peer went away; the call may or may not have run. */
  UNAVAILABLE(3),
  /** The server method threw; see {@link RemoteException}. */
  REMOTE_EXCEPTION(4),
  /** A peer broke the protocol (bad frame, unknown message, undecodable value). */
  PROTOCOL_ERROR(5),
  /** No object is exported under the requested name, or it lacks a requested method. */
  NOT_FOUND(6),
  /** The two sides disagree on an interface: a method, record or enum differs. */
  INCOMPATIBLE(7),
  /** The server refused the call (an incoming-call filter rejected it or it was busy). */
  REJECTED(8),
  /** The peer could not be authenticated. */
  UNAUTHENTICATED(9),
  /** A bug or an unexpected failure inside Tether itself. */
  INTERNAL(10),
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
  WORKER_FAILED(19);

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
