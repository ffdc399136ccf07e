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
   * No worker of a {@link TetherPool} became free within the pool's maximum wait, too many callers
   * were already waiting, or no worker could be started. The call was never sent.
   */
  POOL_EXHAUSTED(22);

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
