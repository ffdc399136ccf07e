package dev.tether;

import java.time.Duration;

/**
 * Sees every call of a client ({@link TetherOptions#withCallListener}) or a server
 * ({@code TetherServer.Builder.callListener}): for metrics, tracing and logs. Every method has
 * an empty default, so implement only what you need.
 *
 * <p>Order and count, per call: {@link #started} once, then {@link #cancelled} at most once (when
 * a cancel was asked for), then {@link #ended} exactly once, even when cancels race the answer.
 *
 * <p>Threads: callbacks never run on a thread that reads or writes a connection, nor on the
 * timer thread. On the client, a synchronous call's callbacks run on the calling thread (its end
 * after the thread stopped reading answers), an asynchronous call's end on a virtual thread just
 * before its future completes. On the server, a call served on a call thread has its callbacks
 * run on that thread ({@link #started} before the arguments are decoded). A server may run a
 * call that has been fast lately inline on the connection's reader; then all of that call's
 * callbacks run after its answer was written, in order, on the server's notification thread
 * ({@code tether-call-listener}, one per server, late by about a millisecond at most), and so do
 * those of calls refused before dispatch. That queue holds at most 10,000 calls' notifications:
 * beyond it they are dropped and counted ({@link ServerStats#listenerNotificationsDropped}),
 * never waited for. A listener whose {@link #started} must run before the method (say, to put
 * trace context in the metadata of the method's nested calls) returns true from
 * {@link #requiresStartBeforeMethod}; the server then never runs calls inline. Calls to the
 * admin object ({@link TetherAdmin}) are not reported. Callbacks on a call's own thread delay
 * it: keep them short and non-blocking.
 *
 * <p>An exception thrown by a callback is logged (logger {@code dev.tether.client} or
 * {@code dev.tether.server}, WARNING) and otherwise ignored: it never changes the call.
 */
public interface CallListener {
  /**
   * The call starts: on the client before its CALL is sent (metadata may still be added with
   * {@link CallInfo#putMetadata}), on the server before its arguments are decoded, or, for a call
   * the server ran inline on a reader, after the call (then metadata added here reaches no
   * nested call; see {@link #requiresStartBeforeMethod}).
   *
   * @param call the call
   */
  default void started(CallInfo call) {}

  /**
   * Whether a server must run {@link #started} on the call's thread before the method runs. True
   * costs the server its fastest path (calls are never run inline on a connection's reader: one
   * thread hand-off per call, about doubling a short round trip), so return true only when
   * {@code started} must affect the method, for example a tracer that makes the server's span
   * the parent of the method's nested calls through {@link CallInfo#putMetadata}. Must always
   * return the same value; ignored on the client.
   *
   * @return false by default: callbacks of inline calls may run after the call
   */
  default boolean requiresStartBeforeMethod() {
    return false;
  }

  /**
   * A cancel of the call was asked for (client) or arrived (server); reported once, before
   * {@link #ended}, with what it led to.
   *
   * @param call the call
   * @param cancel the first cancel and its effect
   */
  default void cancelled(CallInfo call, Cancel cancel) {}

  /**
   * The call ended.
   *
   * @param call the call, with its size and duration
   * @param outcome how it ended
   * @param failure what the caller gets thrown (client) or what the method threw or the call
   *     failed with (server); null for {@link CallOutcome#OK}
   */
  default void ended(CallInfo call, CallOutcome outcome, Throwable failure) {}

  /**
   * A cancel and its effect.
   *
   * @param reason why (the canceller's message, or the deadline)
   * @param grace how long the caller was to wait for the server to stop
   * @param deadline whether the call's deadline caused it
   * @param result what came of it: {@link CancelResult#ACKNOWLEDGED} (the server stopped),
   *     {@link CancelResult#FORCED} (released without an answer; on the server: the caller had
   *     given up before the call finished), or {@link CancelResult#ANSWERED} (the call completed
   *     anyway)
   * @param afterStart time from the call's start to the cancel
   * @param untilEnd time from the cancel to the call's end (on the client, until the caller was
   *     released)
   */
  record Cancel(String reason, Duration grace, boolean deadline, CancelResult result,
      Duration afterStart, Duration untilEnd) {}
}
