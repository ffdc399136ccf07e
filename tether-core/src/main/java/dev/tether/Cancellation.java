package dev.tether;

import dev.tether.internal.cancel.CallContext;
import dev.tether.internal.cancel.CancelNode;
import dev.tether.internal.cancel.CancelReason;
import dev.tether.internal.cancel.Grace;
import dev.tether.internal.cancel.HasCanceller;
import dev.tether.internal.cancel.ThreadCancelState;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Future;

/**
 * Cancellation of calls, COM style, for callers and for servers.
 *
 * <p><b>Callers.</b> Cancellation is per thread and off by default, as in COM, so a plain call is
 * never cancelled by another thread by accident. {@link #enable()} turns it on for the current
 * thread; then any thread may {@link #cancel(Thread, Duration) cancel} the call pending on it, or
 * get its {@linkplain #pendingCall(Thread) cancel object}. To cancel calls that have not started
 * yet, or a series of calls, use a {@link CancelScope}.
 *
 * <p><b>Servers.</b> A method being served asks {@link #isCancelled()} or
 * {@link #throwIfCancelled()} whether its caller cancelled (COM's {@code CoTestCancel}), reads the
 * caller's {@link #deadline()}, or registers {@link #onCancel(Runnable)}.
 */
public final class Cancellation {
  /** A grace period that never runs out: the caller waits for the server whatever it takes. */
  public static final Duration NO_LIMIT = ChronoUnit.FOREVER.getDuration();

  private Cancellation() {}

  /**
   * Enables cancellation of outbound calls made by the current thread until the returned
   * registration is closed (COM's {@code CoEnableCallCancellation}). Nestable: cancellation stays
   * enabled until every registration is closed. Close it on the same thread.
   */
  public static Registration enable() {
    ThreadCancelState state = ThreadCancelState.current();
    state.enable();
    return ownedBy(Thread.currentThread(), "enabled", state::disable);
  }

  /** True when cancellation is enabled on the current thread. */
  public static boolean isEnabled() {
    return ThreadCancelState.currentIfEnabled() != null;
  }

  /**
   * Cancels the innermost outbound call pending on {@code thread} (COM's {@code CoCancelCall}):
   * sends the cancel to the server at once, then waits up to {@code grace} for its answer, after
   * which the caller is released with a {@link CallCancelledException}. Blocks the calling thread up
   * to {@code grace}; see {@link CallCanceller#cancelAsync} for a non-blocking form. A thread
   * waiting for the data of a result stream ({@code InputStream} or {@code Stream} returned by a
   * call) counts as pending on it: the transfer stops both ways and the reader is released at once
   * ({@link CancelResult#FORCED}; the call has answered already, so {@code grace} is not used).
   *
   * @param grace how long the server may take to answer; {@link Duration#ZERO} releases the caller
   *     at once, {@link #NO_LIMIT} waits whatever it takes
   * @return what happened; {@link CancelResult#NOT_ENABLED} and
   *     {@link CancelResult#NO_PENDING_CALL} mean nothing was done
   */
  public static CancelResult cancel(Thread thread, Duration grace) {
    Objects.requireNonNull(thread, "thread");
    Grace.toNanos(grace); // rejects null and negative graces before anything else
    Optional<CallCanceller> c = pendingCallOrEnabled(thread);
    if (c == null) {
      return CancelResult.NOT_ENABLED;
    }
    return c.isPresent() ? c.get().cancel(grace) : CancelResult.NO_PENDING_CALL;
  }

  /**
   * Cancels the asynchronous call behind {@code future} (a future returned by a proxy method
   * declared to return {@code CompletableFuture} or {@code CompletionStage}) with the same
   * outcomes as a synchronous call, blocking up to {@code grace} like
   * {@link #cancel(Thread, Duration)}.
   *
   * <p>Any other future (including a stage derived from a remote future, such as
   * {@code remote.thenApply(f)}) has no remote call behind it: it is cancelled at once with
   * {@code future.cancel(true)}, {@code grace} is not used, and no remote call is cancelled. The
   * result then says what happened to that future: {@link CancelResult#FORCED} when this cancelled
   * it (whoever waits for it is released without a result, whatever its task still does), or
   * {@link CancelResult#ALREADY_COMPLETE} when it had already completed or been cancelled.
   */
  public static CancelResult cancel(Future<?> future, Duration grace) {
    Objects.requireNonNull(future, "future");
    Grace.toNanos(grace);
    if (future instanceof HasCanceller h) {
      return h.canceller().cancel(grace);
    }
    // CompletableFuture.cancel answers true for a future cancelled long ago: ask isDone first
    boolean wasDone = future.isDone();
    boolean cancelled = future.cancel(true);
    return !wasDone && cancelled ? CancelResult.FORCED : CancelResult.ALREADY_COMPLETE;
  }

  /**
   * The cancel object of the innermost call pending on {@code thread} (COM's
   * {@code CoGetCancelObject}); empty when the thread has no pending call or cancellation is not
   * enabled on it.
   */
  public static Optional<CallCanceller> pendingCall(Thread thread) {
    Optional<CallCanceller> c = pendingCallOrEnabled(Objects.requireNonNull(thread, "thread"));
    return c == null ? Optional.empty() : c;
  }

  /** Null when not enabled, else the top cancel object if any. */
  private static Optional<CallCanceller> pendingCallOrEnabled(Thread thread) {
    ThreadCancelState state = ThreadCancelState.of(thread);
    if (state == null || !state.isEnabled()) {
      return null;
    }
    return Optional.ofNullable(state.top());
  }

  /**
   * Registers a cancel object for the current thread (COM's {@code CoSetCancelObject}), so that
   * {@link #cancel(Thread, Duration)} and {@link #pendingCall(Thread)} reach code that is not a
   * Tether proxy, such as a custom transport. Closing the registration pops it; close it on the
   * same thread.
   */
  public static Registration push(CallCanceller canceller) {
    Objects.requireNonNull(canceller, "canceller");
    ThreadCancelState state = ThreadCancelState.current();
    state.push(canceller);
    return ownedBy(Thread.currentThread(), "pushed", () -> state.pop(canceller));
  }

  /** A registration that undoes once, and only on {@code owner}, the thread that made it. */
  private static Registration ownedBy(Thread owner, String verb, Runnable undo) {
    return new Registration() {
      private boolean closed;

      @Override
      public void close() {
        if (closed) {
          return;
        }
        if (Thread.currentThread() != owner) {
          throw new IllegalStateException("close the registration on the thread that " + verb
              + " it: " + owner);
        }
        closed = true;
        undo.run();
      }
    };
  }

  /**
   * True when the current call or scope has been cancelled: on a server, when the caller of the
   * call being served on this thread cancelled it or its deadline passed (COM's
   * {@code CoTestCancel}); in a {@link CancelScope}, when the scope was cancelled. False elsewhere.
   */
  public static boolean isCancelled() {
    CancelNode node = CallContext.current();
    return node != null && node.isCancelled();
  }

  /**
   * Throws {@link CallCancelledException} (a {@link DeadlineExceededException} for an expired
   * deadline) when {@link #isCancelled()}. A server method that lets it escape tells its caller
   * that it stopped because of the cancel.
   */
  public static void throwIfCancelled() {
    CancelNode node = CallContext.current();
    if (node == null) {
      return;
    }
    CancelReason r = node.reason();
    if (r != null) {
      throw r.deadline()
          ? new DeadlineExceededException(CallCancelledException.Outcome.ACKNOWLEDGED, r.message())
          : new CallCancelledException(CallCancelledException.Outcome.ACKNOWLEDGED, r.message());
    }
  }

  /**
   * The deadline of the current call or scope, if it has one. On a server it is the caller's
   * deadline, rebuilt from the remaining time that travelled with the call (each hop measures
   * from when the call arrived, so hops agree to within a network trip). Stable: every read of the
   * same call's or scope's deadline returns the same instant.
   */
  public static Optional<Instant> deadline() {
    CancelNode node = CallContext.current();
    if (node == null || node.deadline() == null) {
      return Optional.empty();
    }
    return Optional.of(node.deadline().toInstant());
  }

  /**
   * Runs {@code callback} once when the current call or scope is cancelled, or at once on this
   * thread if it already is. It never runs on the thread that cancels (a connection's reader or
   * the timer thread) but on a virtual thread of its own, one callback of the call after another,
   * so it may block without delaying other calls. On a server, the call's answer (the result, the
   * error or the acknowledgement of the cancel) is sent only after its callbacks have returned.
   * Close the registration to forget the callback.
   *
   * @throws IllegalStateException when the current thread is neither serving a call nor in a scope
   */
  public static Registration onCancel(Runnable callback) {
    Objects.requireNonNull(callback, "callback");
    CancelNode node = CallContext.current();
    if (node == null) {
      throw new IllegalStateException(
          "onCancel needs a call being served or a CancelScope on this thread");
    }
    CancelNode.Removal removal = node.addCallback(callback);
    return removal::remove;
  }
}
