package dev.tether;

/**
 * One call as a {@link CallListener} sees it, on the client or the server: what is called, on
 * which peer, its metadata, and (once it ended) its size and duration. One object per call and
 * side; the same object is passed to every callback of that call, so a listener may keep its
 * state for the call in it ({@link #attach}).
 *
 * <p>Thread safety: callbacks of one call never run concurrently, and each sees what earlier
 * ones attached; other threads must not use the object.
 */
public interface CallInfo {
  /** Which end of the call this is. */
  enum Side {
    /** The process that made the call. */
    CLIENT,
    /** The process that serves it. */
    SERVER
  }

  /** Which end of the call this is. */
  Side side();

  /** The remote interface's fully qualified name. */
  String interfaceName();

  /** The method's name. */
  String methodName();

  /** The other process: the server's address or the client's description. */
  String peer();

  /** The call's id on its connection (ids repeat across connections). */
  int callId();

  /**
   * The call's metadata: on the client what it sends, on the server what arrived (plus what a
   * listener added in {@link CallListener#started}).
   */
  CallMetadata metadata();

  /**
   * Adds (or replaces) an entry of the call's metadata; only from {@link CallListener#started}.
   * On the client it is sent with the call; on the server the method and its nested calls see
   * it (a tracing listener puts the server span's {@code traceparent} there).
   *
   * @throws IllegalStateException after {@code started} returned
   * @throws IllegalArgumentException when a limit of {@link CallMetadata} is broken
   */
  void putMetadata(String key, String value);

  /** Bytes of this call's frames sent by this side so far (the CALL, or the answer). */
  long bytesSent();

  /** Bytes of this call's frames received by this side so far (the answer, or the CALL). */
  long bytesReceived();

  /** Nanoseconds from the start to the end of the call; 0 before it ended. */
  long durationNanos();

  /** Keeps {@code value} with this call under {@code key} (a listener's own key object). */
  void attach(Object key, Object value);

  /** What {@link #attach} kept under {@code key}, or null. */
  Object attached(Object key);
}
