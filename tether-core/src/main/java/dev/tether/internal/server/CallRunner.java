package dev.tether.internal.server;

import dev.tether.CallCancelledException;
import dev.tether.ErrorCode;
import dev.tether.internal.cancel.CallContext;
import dev.tether.internal.cancel.CancelNode;
import dev.tether.internal.codec.ByteReader;
import dev.tether.internal.codec.DecodeException;
import dev.tether.internal.codec.MethodCodec;
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
  private final ServerCall call;
  private final byte[] body;
  private final int argsOffset;

  CallRunner(ServerCall call, byte[] body, int argsOffset) {
    this.call = call;
    this.body = body;
    this.argsOffset = argsOffset;
  }

  /** The call this runs. */
  ServerCall call() {
    return call;
  }

  @Override
  public void run() {
    long start = System.nanoTime();
    try {
      serve();
    } finally {
      call.method.inline().record(System.nanoTime() - start);
    }
  }

  private void serve() {
    MethodCodec codec = call.method.codec();
    Object[] args;
    try {
      args = codec.decodeArgs(new ByteReader(body, argsOffset, body.length - argsOffset));
    } catch (DecodeException e) {
      call.connection.protocolError("undecodable arguments for " + call.methodName() + ": "
          + e.getMessage(), e);
      call.connection.finished(call);
      return;
    }
    if (call.node.isCancelled()) { // cancelled before it started: do not run it at all
      call.connection.answerCancelled(call);
      return;
    }
    CancelNode.Removal interrupter = call.method.interruptOnCancel()
        ? call.node.addListener(r -> call.interruptIfRunning()) : null;
    CancelNode previous = CallContext.enter(call.node);
    call.runningOn(Thread.currentThread());
    if (interrupter != null && call.node.isCancelled()) {
      Thread.currentThread().interrupt(); // cancelled between the check above and now
    }
    Object result;
    try {
      result = call.method.invoke(args);
    } catch (Throwable t) {
      call.leftThread();
      answerThrown(t);
      return;
    } finally {
      call.leftThread();
      CallContext.restore(previous);
      if (interrupter != null) {
        interrupter.remove();
      }
      Thread.interrupted(); // an interrupt meant for this call must not leak to the next
    }
    if (codec.isAsync()) {
      answerLater(result);
    } else {
      call.connection.answerResult(call, result);
    }
  }

  private void answerLater(Object stage) {
    if (stage == null) {
      call.connection.answerResult(call, null);
      return;
    }
    CompletableFuture<?> future = ((CompletionStage<?>) stage).toCompletableFuture();
    CancelNode.Removal r = call.node.addListener(reason -> future.cancel(true));
    future.whenComplete((value, thrown) -> {
      r.remove();
      if (thrown == null) {
        call.connection.answerResult(call, value);
      } else {
        answerThrown(thrown instanceof CompletionException && thrown.getCause() != null
            ? thrown.getCause() : thrown);
      }
    });
  }

  private void answerThrown(Throwable t) {
    if (call.node.isCancelled() && isCancellation(t)) {
      call.connection.answerCancelled(call);
    } else {
      call.connection.answerError(call, ErrorCode.REMOTE_EXCEPTION, t.toString(), t);
    }
  }

  /** Throwables that mean "I stopped because I was cancelled". */
  private static boolean isCancellation(Throwable t) {
    return t instanceof CallCancelledException || t instanceof InterruptedException
        || t instanceof CancellationException;
  }
}
