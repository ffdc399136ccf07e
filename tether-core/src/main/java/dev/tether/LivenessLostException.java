package dev.tether;

/**
 * The peer did not answer a liveness ping in time ({@link ErrorCode#LIVENESS_LOST}): it is
 * stopped, deadlocked, or too busy to read. The connection is closed and every call pending on
 * it fails with this exception; whether those calls ran is unknown. For a launched worker, the
 * supervisor then restarts it (see {@link SupervisionPolicy}).
 */
public final class LivenessLostException extends TetherException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message naming the peer and the silence. */
  public LivenessLostException(String message) {
    super(ErrorCode.LIVENESS_LOST, message);
  }
}
