package dev.tether.internal.client;

import dev.tether.TetherException;

/**
 * Told about the end of a connection by whoever owns the peer (the supervisor of a launched
 * worker). Methods are called once each and must not block the calling thread: they run on a
 * thread that reads the connection or on the timer.
 */
public interface ConnectionObserver {
  /**
   * The peer closed its end or the link broke. The connection stops reading, keeps its calls
   * pending, and waits for {@link ClientConnection#failWith} (the owner may first learn, for
   * example, the worker's exit code). The owner must call it soon; the default fails at once.
   */
  default void streamEnded(ClientConnection connection, String message, Throwable cause) {
    connection.failWith(() -> new dev.tether.ConnectionClosedException(message, cause));
  }

  /**
   * The connection failed with {@code failure}: told before its pending calls fail (each with an
   * equal exception), so that the owner can redirect new calls first.
   */
  default void failed(ClientConnection connection, TetherException failure) {}

  /** No observer: fail at once with the default message, tell nobody. */
  ConnectionObserver NONE = new ConnectionObserver() {};
}
