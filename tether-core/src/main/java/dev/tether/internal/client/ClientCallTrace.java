package dev.tether.internal.client;

import dev.tether.CallCancelledException;
import dev.tether.CallListener;
import dev.tether.CallMetadata;
import dev.tether.CallOutcome;
import dev.tether.CancelResult;
import dev.tether.ErrorCode;
import dev.tether.internal.cancel.CancelReason;
import dev.tether.internal.cancel.Grace;
import dev.tether.internal.codec.MethodCodec;
import dev.tether.internal.event.CancelEvent;
import dev.tether.internal.event.ClientCallEvent;
import dev.tether.internal.event.Jfr;
import dev.tether.internal.event.ObservedCall;
import dev.tether.internal.wire.FrameKind;
import java.time.Duration;

/**
 * One outbound call observed by the connection's {@link CallListener} and/or JFR. Exists only
 * when something observes ({@link #start} returns null otherwise, so an unobserved call pays a
 * null check). Its end runs on a thread that reads no connection: the caller's own thread after
 * it stopped leading the reading (synchronous calls), or the virtual thread that completes an
 * asynchronous call's future (or the user's thread cancelling it). Exactly once: the first
 * {@link #end} wins.
 */
final class ClientCallTrace extends ObservedCall {
  static final System.Logger LOG = System.getLogger("dev.tether.client");

  private final ClientCallEvent event;
  // Plain, not volatile (a fence per call): written by the thread that starts the call and read
  // by the same thread (synchronous calls) or by the thread ending an asynchronous one, which
  // found the call through the connection's table after the write.
  private PendingCall call;

  private ClientCallTrace(ClientConnection connection, MethodCodec codec, int id,
      CallMetadata metadata, CallListener listener, ClientCallEvent event) {
    super(Side.CLIENT, codec.method().getDeclaringClass().getName(), codec.method().getName(),
        connection.peer(), id, metadata, listener, LOG,
        listener == null ? 0 : CLOCK.nanoTime()); // JFR alone reads its own clock
    this.event = event;
  }

  /**
   * Starts observing a call (running the listener's {@code started}) when anything observes
   * calls of {@code connection}; null when nothing does.
   */
  static ClientCallTrace start(ClientConnection connection, MethodCodec codec, int id,
      CallMetadata metadata) {
    CallListener listener = connection.options().callListener();
    boolean jfr = Jfr.clientCalls();
    if (listener == null && !jfr) {
      return null;
    }
    ClientCallEvent event = null;
    if (jfr) {
      event = new ClientCallEvent();
      event.describe(codec.method().getDeclaringClass().getName(), codec.method().getName(),
          connection.peer(), id);
      event.begin();
    }
    ClientCallTrace t = new ClientCallTrace(connection, codec, id, metadata, listener, event);
    t.fireStarted();
    return t;
  }

  /** The pending call, once registered (for what its cancel looked like). */
  void call(PendingCall call) {
    this.call = call;
  }

  /**
   * Reports the end once: the cancel if one was asked for, then the end.
   *
   * @param outcome the pending call's outcome, or null when the call never got one (its
   *     arguments could not be sent)
   * @param failure what the caller is thrown, or null
   */
  void end(Outcome outcome, Throwable failure) {
    if (!claimEnd(false)) {
      return;
    }
    if (outcome instanceof Outcome.Returned r) {
      received(r.body().length + FrameKind.LENGTH_BYTES); // whole frames, as sent
    }
    CallOutcome how = classify(outcome, failure);
    PendingCall c = call;
    if (c != null && c.isCancelled()) {
      reportCancel(c, outcome);
    }
    if (event != null) {
      event.finish(how.tag(), bytesSent(), bytesReceived(), metadata().size());
    }
    fireEnded(how, failure);
  }

  private void reportCancel(PendingCall c, Outcome outcome) {
    long end = CLOCK.nanoTime();
    long at = c.cancelRequestedNanos();
    if (at == 0 || end - at < 0) {
      at = end; // the canceller has not written its time yet: it raced the very end
    }
    CancelReason why = c.cancelReason();
    CancelResult result = switch (outcome) {
      case Outcome.Cancelled x -> x.how() == CallCancelledException.Outcome.ACKNOWLEDGED
          ? CancelResult.ACKNOWLEDGED : CancelResult.FORCED;
      case Outcome.Returned x -> CancelResult.ANSWERED;
      case Outcome.Error x -> CancelResult.ANSWERED;
      case null, default -> CancelResult.FORCED;
    };
    long grace = why == null ? 0 : why.graceNanos();
    boolean deadline = why != null && why.deadline();
    if (Jfr.cancels()) {
      CancelEvent e = new CancelEvent();
      e.side = "client";
      e.interfaceName = interfaceName();
      e.method = methodName();
      e.peer = peer();
      e.callId = callId();
      e.reason = why == null ? null : why.message();
      e.grace = grace;
      e.deadline = deadline;
      e.result = result.name().toLowerCase(java.util.Locale.ROOT);
      e.timeToRelease = end - at;
      e.timeToServer = result == CancelResult.FORCED ? -1 : end - at;
      e.commit();
    }
    if (listener() != null) {
      fireCancelled(new CallListener.Cancel(why == null ? null : why.message(),
          grace == Grace.FOREVER ? Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)
              : Duration.ofNanos(grace), deadline, result,
          Duration.ofNanos(Math.max(0, at - startNanos())), Duration.ofNanos(end - at)));
    }
  }

  /** What an outcome means for observers. */
  static CallOutcome classify(Outcome outcome, Throwable failure) {
    return switch (outcome) {
      case Outcome.Returned r -> failure == null ? CallOutcome.OK : CallOutcome.ERROR;
      case Outcome.Resolved r -> CallOutcome.ERROR;
      case Outcome.Error e -> switch (e.error().code()) {
        case SERVER_EXHAUSTED, UNAVAILABLE -> CallOutcome.BUSY;
        case REJECTED -> CallOutcome.REJECTED;
        default -> CallOutcome.ERROR;
      };
      case Outcome.Cancelled c -> c.reason() != null && c.reason().deadline()
          && c.how() != CallCancelledException.Outcome.NOT_SENT ? CallOutcome.DEADLINE
          : switch (c.how()) {
            case ACKNOWLEDGED -> CallOutcome.CANCELLED;
            case FORCED -> CallOutcome.FORCED;
            case NOT_SENT -> CallOutcome.NOT_SENT;
          };
      case Outcome.Failed f -> CallOutcome.FAILED;
      case null -> failure instanceof dev.tether.TetherException t
          && t.code() == ErrorCode.UNAVAILABLE ? CallOutcome.FAILED : CallOutcome.ERROR;
    };
  }
}
