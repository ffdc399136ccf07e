package dev.tether.internal.server;

import dev.tether.CallMetadata;
import dev.tether.internal.cancel.CancelNode;
import dev.tether.internal.time.Clock;

/**
 * One call being served: its cancellation context (current on the serving thread, so
 * {@code Cancellation.isCancelled()} sees it), the serving thread for opt-in interruption, and
 * whether its caller has already given up (then it is an orphan and its answer is dropped).
 */
final class ServerCall {
  final ServerConnection connection;
  final int id;
  final ServedMethod method;
  final CancelNode node;
  final long startedNanos = Clock.system().nanoTime();
  /**
   * Bytes of the connection's budget this call holds (its frame, then also its decoded
   * arguments); given back once, when it finishes. Written by the reader and the serving thread
   * before the call can finish.
   */
  volatile long budgetBytes;
  /** What the caller sent (null: none); current while the method runs. Set by the reader. */
  CallMetadata metadata;
  /** Set by the reader when something observes calls, else null. */
  ServerCallTrace trace;
  /** Set by the reader when the call took a concurrency-limit permit ({@link CallGate}). */
  boolean holdsPermit;
  /** When it took the permit. */
  long permitNanos;
  /** Whether the user's incoming-call filter must see it on the call thread. */
  boolean filtered;
  /** Set before finishing when the call was refused before dispatch. */
  volatile boolean refused;
  // Guarded by "this".
  private Thread thread;
  private boolean finished;
  private boolean callerReleased;
  private long releasedNanos;

  ServerCall(ServerConnection connection, int id, ServedMethod method, CancelNode node) {
    this.connection = connection;
    this.id = id;
    this.method = method;
    this.node = node;
  }

  /** "Iface.method" for messages and statistics. */
  String methodName() {
    return method.name();
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
   * {@link #wasCallerReleased()} says whether the answer must be dropped. An orphan leaves the
   * tracker here.
   */
  synchronized boolean finish(OrphanTracker orphans) {
    if (finished) {
      return false;
    }
    finished = true;
    thread = null;
    if (callerReleased) { // an orphan
      orphans.finished(this);
    }
    return true;
  }

  /**
   * Records that the caller gave up: the call becomes an orphan in {@code orphans} and its answer
   * is dropped. No effect once the call has finished, so {@link #wasCallerReleased} is fixed when
   * {@link #finish} returns. Called before anyone tells the call to stop, so a call that stops at
   * once is still an orphan that finished: every released call ends up either answered late (the
   * client discards the answer) or counted in {@link OrphanTracker#finishedCount}, which pools
   * use to give its slot back.
   */
  synchronized void releaseCaller(OrphanTracker orphans) {
    if (callerReleased || finished) {
      return; // a finished call's answer is being sent: the client discards it as late
    }
    callerReleased = true;
    releasedNanos = Clock.system().nanoTime();
    orphans.add(this);
  }

  synchronized boolean wasCallerReleased() {
    return callerReleased;
  }

  synchronized long releasedNanos() {
    return releasedNanos;
  }
}
