package dev.tether.cli.demo;

import dev.tether.Cancellation;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A thread that makes one call with cancellation enabled, so the demo can cancel it from the main
 * thread, and records when the call returned or threw.
 */
final class Caller {
  final Thread thread;
  final CompletableFuture<Object> outcome = new CompletableFuture<>();
  volatile long calledNanos;
  volatile long releasedNanos;

  private Caller(Callable<?> call) {
    thread = Thread.ofPlatform().name("demo-caller").start(() -> {
      calledNanos = System.nanoTime();
      try (var enabled = Cancellation.enable()) {
        Object r = call.call();
        releasedNanos = System.nanoTime();
        outcome.complete(r);
      } catch (Throwable t) {
        releasedNanos = System.nanoTime();
        outcome.complete(t);
      }
    });
  }

  /** Starts {@code call} on a new thread and returns once it is pending. */
  static Caller start(Callable<?> call) throws InterruptedException {
    Caller c = new Caller(call);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (Cancellation.pendingCall(c.thread).isEmpty() && !c.outcome.isDone()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the call did not start");
      }
      Thread.sleep(1);
    }
    return c;
  }

  /** What the call returned or threw, waiting at most 30 s. */
  Object await() throws Exception {
    return outcome.get(30, TimeUnit.SECONDS);
  }
}
