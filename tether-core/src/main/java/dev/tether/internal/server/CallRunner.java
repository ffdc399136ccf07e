package dev.tether.internal.server;

import dev.tether.CallCancelledException;
import dev.tether.CallMetadata;
import dev.tether.ErrorCode;
import dev.tether.TetherException;
import dev.tether.internal.cancel.CallContext;
import dev.tether.internal.cancel.CancelNode;
import dev.tether.internal.codec.ByteReader;
import dev.tether.internal.codec.DecodeException;
import dev.tether.internal.codec.MethodCodec;
import dev.tether.internal.time.Clock;
import dev.tether.internal.wire.ByteBudget;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Serves one call, inline on the reader thread or on a call thread: decodes the arguments, runs
 * the method with the call's cancellation context current, and sends exactly one answer (result,
 * error or cancel acknowledgement) unless the caller already gave up.
 */
final class CallRunner implements Runnable {
  private static final Clock CLOCK = Clock.system();
  private final ServerCall call;
  private final byte[] body;
  private final int argsOffset;
  private final ByteBudget budget;
  /** Runs on the connection's reader (set by the reader before it runs it). */
  boolean inline;

  // What the run teaches the inline policy: nothing (the method did not run), its time, or that
  // its call's cancel ended it (InlinePolicy.History.endedByCancel). Only the running thread
  // touches it.
  private static final byte NOT_RUN = 0;
  private static final byte RAN = 1;
  private static final byte ENDED_BY_CANCEL = 2;
  private byte run = NOT_RUN;

  /**
   * Bytes of the frame charged provisionally to the server's RefusalPenalty (0: none): kept if
   * the arguments are refused for their size, refunded as soon as they decode (or the call ends
   * otherwise). Only the thread running this touches it.
   */
  private long penaltyBytes;

  CallRunner(ServerCall call, byte[] body, int argsOffset, ByteBudget budget, long penaltyBytes) {
    this.call = call;
    this.body = body;
    this.argsOffset = argsOffset;
    this.budget = budget;
    this.penaltyBytes = penaltyBytes;
  }

  /** The call this runs. */
  ServerCall call() {
    return call;
  }

  @Override
  public void run() {
    long start = CLOCK.nanoTime();
    try {
      serve();
    } catch (Throwable t) { // an Error anywhere (OOM, stack overflow): the caller still hears
      lastResort(t);
    } finally {
      refundPenalty();
      if (run == ENDED_BY_CANCEL) {
        call.method.inline().endedByCancel();
      } else if (run == RAN) {
        call.method.inline().record(CLOCK.nanoTime() - start);
      }
    }
  }

  private void refundPenalty() {
    if (penaltyBytes > 0) {
      call.connection.refundPenalty(penaltyBytes);
      penaltyBytes = 0;
    }
  }

  /** The frame is refused for its size: the provisional charge stays, the rest is added. */
  private void refusedForSize() {
    call.connection.refusedForSize(body.length - penaltyBytes);
    penaltyBytes = 0;
  }

  private void serve() {
    if (call.filtered) { // the user's incoming-call filter: on this call thread, never the reader
      Refusal r = call.connection.gate().filter(call, call.connection.callsInFlight());
      if (r != null) {
        call.connection.answers.refused(call, r);
        return;
      }
    }
    if (call.trace != null) {
      call.trace.dispatched(inline); // the listener's started here, or after the end if inline
    }
    MethodCodec codec = call.method.codec();
    Object[] args;
    try {
      ByteReader in = new ByteReader(body, argsOffset, body.length - argsOffset);
      ServerOptions o = call.connection.options();
      in.limitDecodedBytes(ByteReader.decodedLimit(body.length, o.decodeMultiple(),
          o.maxDecodedBytes()));
      args = codec.decodeArgs(in);
      long decoded = in.decodedBytes();
      budget.charge(decoded); // held by the running call: the reader stops when it is too much
      call.budgetBytes += decoded;
      refundPenalty();
    } catch (DecodeException e) {
      if (e.isOverBudget()) {
        refusedForSize();
        call.connection.answers.error(call, ErrorCode.RESOURCE_EXHAUSTED, "the arguments of "
            + call.methodName() + " are refused: " + e.getMessage() + " (the server's limit,"
            + " see TetherServer.Builder.maxDecodedBytes)", null);
        return;
      }
      call.connection.protocolError("undecodable arguments for " + call.methodName() + ": "
          + e.getMessage(), e);
      call.connection.finished(call);
      return;
    } catch (Throwable t) { // OutOfMemoryError, StackOverflowError, a record constructor's Error
      if (t instanceof OutOfMemoryError) {
        refusedForSize();
      }
      call.connection.answers.error(call, t instanceof OutOfMemoryError
          ? ErrorCode.RESOURCE_EXHAUSTED : ErrorCode.REMOTE_EXCEPTION, "the arguments of "
          + call.methodName() + " could not be decoded: " + t, null);
      return;
    }
    if (codec.hasStreams()) {
      try {
        CallStreams.receiveArguments(call.connection.streams, call, args);
      } catch (TetherException e) {
        call.connection.answers.error(call, e.code(), e.getMessage(), null);
        return;
      }
    }
    if (call.node.isCancelled()) { // cancelled before it started: do not run it at all
      call.connection.answers.cancelled(call);
      return;
    }
    CancelNode.Removal interrupter = call.method.interruptOnCancel()
        ? call.node.addListener(r -> call.interruptIfRunning()) : null;
    CancelNode previous = CallContext.enter(call.node);
    CallMetadata metadata = call.trace != null ? call.trace.metadata() : call.metadata;
    boolean withMetadata = metadata != null && !metadata.isEmpty(); // else: no thread-local work
    CallMetadata previousMetadata = withMetadata ? CallContext.setMetadata(metadata) : null;
    call.runningOn(Thread.currentThread());
    if (interrupter != null && call.node.isCancelled()) {
      Thread.currentThread().interrupt(); // cancelled between the check above and now
    }
    Object result;
    try {
      result = call.method.invoke(args);
    } catch (Throwable t) {
      run = call.node.isCancelled() ? ENDED_BY_CANCEL : RAN;
      call.leftThread();
      answerThrown(t);
      return;
    } finally {
      call.leftThread();
      CallContext.restore(previous);
      if (withMetadata) {
        CallContext.setMetadata(previousMetadata); // the method's nested calls carried it on
      }
      if (interrupter != null) {
        interrupter.remove();
      }
      Thread.interrupted(); // an interrupt meant for this call must not leak to the next
    }
    run = call.node.isCancelled() ? ENDED_BY_CANCEL : RAN;
    if (codec.isAsync()) {
      answerLater(result);
    } else {
      answerResult(result);
    }
  }

  /** Sends the result, after the call's onCancel callbacks if they are running. */
  private void answerResult(Object value) {
    if (call.node.callbacksRunning()) {
      call.node.afterCallbacks(() -> call.connection.answers.result(call, value));
    } else {
      call.connection.answers.result(call, value);
    }
  }

  private void answerLater(Object stage) {
    if (stage == null) {
      answerResult(null);
      return;
    }
    CompletableFuture<?> future = ((CompletionStage<?>) stage).toCompletableFuture();
    // A callback, not a listener: cancelling the future runs the user's dependent stages.
    CancelNode.Removal r = call.node.addCallback(() -> future.cancel(true));
    // handle, not whenComplete: whenComplete's own future would complete with a fresh
    // CompletionException (stack trace filled in) for every failed or cancelled call, half of
    // the garbage of a bulk cancel (issue 14, profiled at 100,000 pending calls)
    future.handle((value, thrown) -> {
      r.remove();
      if (thrown == null) {
        answerResult(value);
      } else {
        answerThrown(thrown instanceof CompletionException && thrown.getCause() != null
            ? thrown.getCause() : thrown);
      }
      return null;
    });
  }

  /**
   * Something threw where nothing should (an Error while answering): answers with as little
   * allocation as possible. A no-op when the call was answered already.
   */
  private void lastResort(Throwable t) {
    try {
      call.connection.answers.error(call, ErrorCode.INTERNAL, "the server failed while serving "
          + call.methodName() + ": " + t, null);
    } catch (Throwable again) {
      call.connection.answers.error(call, ErrorCode.INTERNAL, "the server failed", null);
    }
  }

  /** Sends what {@code t} means, after the call's onCancel callbacks if they are running. */
  private void answerThrown(Throwable t) {
    if (call.node.callbacksRunning()) {
      call.node.afterCallbacks(() -> sendThrown(t));
    } else {
      sendThrown(t);
    }
  }

  private void sendThrown(Throwable t) {
    if (call.node.isCancelled() && isCancellation(t)) {
      call.connection.answers.cancelled(call);
    } else {
      call.connection.answers.error(call, ErrorCode.REMOTE_EXCEPTION, t.toString(), t);
    }
  }

  /** Throwables that mean "I stopped because I was cancelled". */
  private static boolean isCancellation(Throwable t) {
    return t instanceof CallCancelledException || t instanceof InterruptedException
        || t instanceof CancellationException;
  }
}
