package dev.tether.internal.server;

import dev.tether.internal.cancel.CancelNode;

/**
 * One call being served: its cancellation context (current on the serving thread, so
 * {@code Cancellation.isCancelled()} sees it), the serving thread for opt-in interruption, and
 * whether its caller has already given up (then it is an orphan and its answer is dropped).
 */
final class ServerCall {
  final ServerConnection connection;
  final int id;
  final ExportedObject object;
  final int method;
  final CancelNode node;
  final long startedNanos = System.nanoTime();
  // Guarded by "this".
  private Thread thread;
  private boolean finished;
  private boolean callerReleased;
  private long releasedNanos;

  ServerCall(ServerConnection connection, int id, ExportedObject object, int method,
      CancelNode node) {
    this.connection = connection;
    this.id = id;
    this.object = object;
    this.method = method;
    this.node = node;
  }

  /** "Iface.method" for messages and statistics. */
  String methodName() {
    return object.schema().type().getSimpleName() + "." + object.codec(method).method().getName();
  }

  synchronized void runningOn(Thread t) {
    thread = finished ? null : t;
  }

  /** The serving thread stops running this call's code (an async result may still be due). */
  synchronized void leftThread() {
    thread = null;
  }

  /** Interrupts the serving thread if it is still running this call. */
  synchronized void interruptIfRunning() {
    if (thread != null) {
      thread.interrupt();
    }
  }

  /**
   * Marks the call finished. Returns false if it already was. Afterwards
   * {@link #wasCallerReleased()} says whether the answer must be dropped.
   */
  synchronized boolean finish() {
    if (finished) {
      return false;
    }
    finished = true;
    thread = null;
    return true;
  }

  /**
   * Records that the caller gave up. Returns true when the call is still running, so it has just
   * become an orphan.
   */
  synchronized boolean releaseCaller() {
    if (callerReleased) {
      return false;
    }
    callerReleased = true;
    releasedNanos = System.nanoTime();
    return !finished;
  }

  synchronized boolean wasCallerReleased() {
    return callerReleased;
  }

  synchronized long releasedNanos() {
    return releasedNanos;
  }
}
