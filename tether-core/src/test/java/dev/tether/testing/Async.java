package dev.tether.testing;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * Runs blocking test code on a fresh platform thread (never on the common pool, which a blocking
 * task can starve on a 2-core machine) and returns its outcome as a future.
 */
public final class Async {
  private Async() {}

  /** Runs {@code task} on a new thread; the future completes with its result or exception. */
  public static <T> CompletableFuture<T> run(Callable<T> task) {
    CompletableFuture<T> f = new CompletableFuture<>();
    Thread.ofPlatform().daemon().name("test-async").start(() -> {
      try {
        f.complete(task.call());
      } catch (Throwable t) {
        f.completeExceptionally(t);
      }
    });
    return f;
  }

  /** Runs {@code task} on a new thread; the future completes with what it threw, or null. */
  public static CompletableFuture<Throwable> thrownBy(ThrowingRunnable task) {
    return run(() -> {
      try {
        task.run();
        return null;
      } catch (Throwable t) {
        return t;
      }
    });
  }

  /** A runnable that may throw anything. */
  @FunctionalInterface
  public interface ThrowingRunnable {
    /** Runs. */
    void run() throws Throwable;
  }
}
