package dev.tether.cancel;

import dev.tether.Cancellation;
import dev.tether.fixtures.EchoService;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A platform thread that makes one call with cancellation enabled. {@link #outcome} completes
 * with what the call returned or threw; {@link #releasedNanos} is when that happened.
 */
final class PendingCaller {
  final Thread thread;
  final CompletableFuture<Object> outcome = new CompletableFuture<>();
  volatile long releasedNanos;
  private final CompletableFuture<Thread> started = new CompletableFuture<>();

  private PendingCaller(Callable<?> call, boolean enable) {
    thread = Thread.ofPlatform().name("pending-caller").start(() -> {
      started.complete(Thread.currentThread());
      Object result;
      try (var r = enable ? Cancellation.enable() : null) {
        result = call.call();
      } catch (Throwable t) {
        result = t;
      }
      releasedNanos = System.nanoTime();
      outcome.complete(result);
    });
  }

  /** Starts {@code call} with cancellation enabled and returns once the call is pending. */
  static PendingCaller start(Callable<?> call) {
    PendingCaller c = new PendingCaller(call, true);
    awaitPending(c.thread, c.outcome);
    return c;
  }

  /**
   * Starts {@code call} with cancellation enabled and returns once it is pending or has already
   * ended (a fast call can finish before anyone sees it pending).
   */
  static PendingCaller startMaybeDone(Callable<?> call) {
    PendingCaller c = new PendingCaller(call, true);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (Cancellation.pendingCall(c.thread).isEmpty() && !c.outcome.isDone()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no call became pending on " + c.thread);
      }
      Thread.onSpinWait();
    }
    return c;
  }

  /** Starts {@code call} with cancellation NOT enabled; returns at once. */
  static PendingCaller startDisabled(Callable<?> call) {
    return new PendingCaller(call, false);
  }

  /**
   * Starts {@code call} and returns once the worker has started running it, as counted by
   * {@link EchoService#startedCount()}.
   */
  static PendingCaller startRunning(EchoService echo, Callable<?> call) {
    int before = echo.startedCount();
    PendingCaller c = start(call);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (echo.startedCount() == before) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the worker never started the call");
      }
    }
    return c;
  }

  static void awaitPending(Thread t, CompletableFuture<?> done) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (Cancellation.pendingCall(t).isEmpty()) {
      if (done.isDone()) {
        throw new AssertionError("the call ended before it was seen pending: " + done.join());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no call became pending on " + t);
      }
      Thread.onSpinWait();
    }
  }

  /** What the call returned or threw, waiting at most 30 s. */
  Object await() throws Exception {
    return outcome.get(30, TimeUnit.SECONDS);
  }

  /** Joins the thread (bounded) and says whether it ended. */
  boolean ended() throws InterruptedException {
    thread.join(TimeUnit.SECONDS.toMillis(30));
    return !thread.isAlive();
  }
}
