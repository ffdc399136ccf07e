package dev.tether.internal.server;

import dev.tether.CallListener;
import dev.tether.CallMetadata;
import dev.tether.CallOutcome;
import dev.tether.CancelResult;
import dev.tether.ErrorCode;
import dev.tether.TetherException;
import dev.tether.internal.cancel.CancelReason;
import dev.tether.internal.cancel.Grace;
import dev.tether.internal.event.CancelEvent;
import dev.tether.internal.event.Jfr;
import dev.tether.internal.event.ObservedCall;
import dev.tether.internal.event.ServerCallEvent;
import dev.tether.internal.wire.FrameKind;
import java.time.Duration;
import java.util.Locale;

/**
 * One served call observed by the server's {@link CallListener} and/or JFR; null (never built)
 * when nothing observes, so an unobserved call pays a null check.
 *
 * <p>Threads: built by the reader when the CALL arrives (JFR's clock starts there). A call served
 * on a call thread: the listener's {@code started} runs there before the arguments are decoded,
 * its {@code ended} on the thread that wrote (or dropped) the answer, which is the call thread or
 * the thread completing an asynchronous method's future. A call served inline on the reader
 * (only when the listener does not {@linkplain CallListener#requiresStartBeforeMethod require}
 * its start before the method) or refused by the reader before dispatch: all its callbacks run
 * after the end, in order, on the server's {@link ListenerDispatch}, never on the reader. A
 * CANCEL only records its time and reason on the reader; it is reported at the end, before
 * {@code ended}. The end is claimed once.
 */
final class ServerCallTrace extends ObservedCall {
  static final System.Logger LOG = System.getLogger("dev.tether.server");

  private final ServerCallEvent event;
  private volatile boolean dispatched; // a thread took it (started ran there unless deferred)
  private boolean deferred; // ran inline: callbacks after the end (written before dispatched)
  private final ListenerDispatch dispatch;
  private volatile long cancelArrivedNanos;
  private volatile CancelReason cancelReason;
  private CallOutcome outcome; // written by the finishing thread before end()
  private Throwable failure;

  private ServerCallTrace(ServerConnection connection, ServedMethod method, int id,
      CallMetadata metadata, CallListener listener, ServerCallEvent event, long startNanos,
      ListenerDispatch dispatch) {
    super(Side.SERVER, method.codec().method().getDeclaringClass().getName(),
        method.codec().method().getName(), connection.peer(), id, metadata, listener, LOG,
        startNanos);
    this.event = event;
    this.dispatch = dispatch;
  }

  /**
   * Starts observing a call whose CALL frame of {@code frameBytes} arrived at {@code startNanos}
   * (the server call's own arrival time: no clock is read for observing), or returns null when
   * nothing observes it. Admin calls are seen by JFR only.
   */
  static ServerCallTrace start(ServerConnection connection, ServedMethod method, int id,
      CallMetadata metadata, int frameBytes, boolean admin, long startNanos) {
    CallListener listener = admin ? null : connection.options().callListener();
    boolean jfr = Jfr.serverCalls();
    if (listener == null && !jfr) {
      return null;
    }
    ServerCallEvent event = null;
    if (jfr) {
      event = new ServerCallEvent();
      event.describe(method.codec().method().getDeclaringClass().getName(),
          method.codec().method().getName(), connection.peer(), id);
      event.begin();
    }
    ServerCallTrace t = new ServerCallTrace(connection, method, id, metadata, listener, event,
        startNanos, listener == null ? null : connection.listenerDispatch());
    t.received(frameBytes + FrameKind.LENGTH_BYTES); // whole frames, as the client counts them
    return t;
  }

  /**
   * Before decoding, on the thread that serves the call: runs the listener's {@code started} on
   * a call thread; on the reader (inline) it only notes that every callback runs after the end,
   * on the {@link ListenerDispatch}.
   */
  void dispatched(boolean inline) {
    if (event != null) {
      event.inline = inline;
    }
    if (inline && listener() != null) {
      deferred = true;
      dispatched = true;
      return;
    }
    dispatched = true;
    fireStarted();
  }

  /** On the reader: a CANCEL arrived (only the first is kept). */
  void cancelArrived(CancelReason reason) {
    if (cancelReason == null) {
      cancelArrivedNanos = CLOCK.nanoTime();
      cancelReason = reason;
    }
  }

  /**
   * The call finished (it is about to be answered, or its answer is dropped). {@code code} is
   * the error answered, or null for a result or a cancel acknowledgement.
   */
  void finished(CallOutcome how, ErrorCode code, String message, Throwable thrown) {
    if (code != null && !dispatched && how != CallOutcome.FAILED) {
      how = code == ErrorCode.REJECTED ? CallOutcome.REJECTED : CallOutcome.BUSY;
    }
    outcome = how;
    failure = thrown != null || code == null ? thrown : new TetherException(code, message);
  }

  /**
   * After the answer is written or dropped: reports the end, once. JFR's events are committed
   * here (their time is the call's); the listener's callbacks run here only when the call ran on
   * a call thread, else (inline on the reader, or refused by it) on the server's
   * {@link ListenerDispatch}, started first.
   */
  void end() {
    if (!claimEnd(cancelReason != null)) { // a cancel's report needs the end time
      return;
    }
    CallOutcome how = outcome == null ? CallOutcome.FAILED : outcome;
    CancelReason why = cancelReason;
    CallListener.Cancel cancel = why == null ? null : reportCancel(why, how);
    if (event != null) {
      event.finish(how.tag(), bytesSent(), bytesReceived(), metadata().size());
    }
    if (listener() == null) {
      return;
    }
    if (dispatched && !deferred) {
      notifyEnd(cancel, how);
    } else { // user code never runs on the reader
      dispatch.submit(() -> {
        fireStarted();
        notifyEnd(cancel, how);
      });
    }
  }

  private void notifyEnd(CallListener.Cancel cancel, CallOutcome how) {
    if (cancel != null) {
      fireCancelled(cancel);
    }
    fireEnded(how, failure);
  }

  /** Records the cancel's JFR event and returns what the listener is told, if there is one. */
  private CallListener.Cancel reportCancel(CancelReason why, CallOutcome how) {
    long arrived = cancelArrivedNanos;
    long end = startNanos() + durationNanos();
    CancelResult result = switch (how) {
      case CANCELLED, DEADLINE -> CancelResult.ACKNOWLEDGED;
      case FORCED, FAILED -> CancelResult.FORCED;
      default -> CancelResult.ANSWERED;
    };
    long grace = why.graceNanos();
    if (Jfr.cancels()) {
      CancelEvent e = new CancelEvent();
      e.side = "server";
      e.interfaceName = interfaceName();
      e.method = methodName();
      e.peer = peer();
      e.callId = callId();
      e.reason = why.message();
      e.grace = grace;
      e.deadline = why.deadline();
      e.result = result.name().toLowerCase(Locale.ROOT);
      e.timeToRelease = Math.max(0, end - arrived);
      e.timeToServer = Math.max(0, arrived - startNanos());
      e.commit();
    }
    if (listener() == null) {
      return null;
    }
    return new CallListener.Cancel(why.message(), grace == Grace.FOREVER
        ? Duration.ofSeconds(Long.MAX_VALUE, 999_999_999) : Duration.ofNanos(grace),
        why.deadline(), result, Duration.ofNanos(Math.max(0, arrived - startNanos())),
        Duration.ofNanos(Math.max(0, end - arrived)));
  }
}
