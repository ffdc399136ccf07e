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
 * <p>Threads: built by the reader when the CALL arrives (JFR's clock starts there); the
 * listener's {@code started} runs on the call thread before the arguments are decoded, its
 * {@code ended} on the thread that wrote (or dropped) the answer, which is the call thread or the
 * thread completing an asynchronous method's future. A server with a listener never runs calls
 * inline on the reader, so neither is a reader; a call refused before dispatch (answered by the
 * reader) is reported from a virtual thread. A CANCEL only records its time and reason on the
 * reader; it is reported at the end, before {@code ended}. The end is claimed once.
 */
final class ServerCallTrace extends ObservedCall {
  static final System.Logger LOG = System.getLogger("dev.tether.server");

  private final ServerCallEvent event;
  private volatile boolean dispatched; // the call thread took it (started ran there)
  private volatile long cancelArrivedNanos;
  private volatile CancelReason cancelReason;
  private CallOutcome outcome; // written by the finishing thread before end()
  private Throwable failure;

  private ServerCallTrace(ServerConnection connection, ServedMethod method, int id,
      CallMetadata metadata, CallListener listener, ServerCallEvent event) {
    super(Side.SERVER, method.codec().method().getDeclaringClass().getName(),
        method.codec().method().getName(), connection.peer(), id, metadata, listener, LOG);
    this.event = event;
  }

  /**
   * Starts observing a call whose CALL frame of {@code frameBytes} just arrived, or returns null
   * when nothing observes it. Admin calls are seen by JFR only.
   */
  static ServerCallTrace start(ServerConnection connection, ServedMethod method, int id,
      CallMetadata metadata, int frameBytes, boolean admin) {
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
    ServerCallTrace t = new ServerCallTrace(connection, method, id, metadata, listener, event);
    t.received(frameBytes + FrameKind.LENGTH_BYTES); // whole frames, as the client counts them
    return t;
  }

  /** On the call thread, before decoding: runs the listener's {@code started}. */
  void dispatched(boolean inline) {
    dispatched = true;
    if (event != null) {
      event.inline = inline;
    }
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

  /** After the answer is written or dropped: reports the end, once. */
  void end() {
    if (!claimEnd()) {
      return;
    }
    if (listener() != null && !dispatched) {
      // refused by the reader: user code never runs there
      Thread.ofVirtual().name("tether-call-listener").start(() -> {
        fireStarted();
        report();
      });
    } else {
      report();
    }
  }

  private void report() {
    CallOutcome how = outcome == null ? CallOutcome.FAILED : outcome;
    CancelReason why = cancelReason;
    if (why != null) {
      reportCancel(why, how);
    }
    if (event != null) {
      event.finish(how.tag(), bytesSent(), bytesReceived(), metadata().size());
    }
    fireEnded(how, failure);
  }

  private void reportCancel(CancelReason why, CallOutcome how) {
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
    if (listener() != null) {
      fireCancelled(new CallListener.Cancel(why.message(), grace == Grace.FOREVER
          ? Duration.ofSeconds(Long.MAX_VALUE, 999_999_999) : Duration.ofNanos(grace),
          why.deadline(), result, Duration.ofNanos(Math.max(0, arrived - startNanos())),
          Duration.ofNanos(Math.max(0, end - arrived))));
    }
  }
}
