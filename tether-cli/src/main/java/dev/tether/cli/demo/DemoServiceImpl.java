package dev.tether.cli.demo;

import dev.tether.CallCancelledException;
import dev.tether.Cancellation;
import dev.tether.Tether;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The demo worker's implementation. */
public class DemoServiceImpl implements DemoService {
  private static final AtomicLong LAST_CANCEL_SEEN = new AtomicLong();

  @Override
  public String greet(String name) {
    return "Hello, " + name + ", from worker pid " + ProcessHandle.current().pid();
  }

  @Override
  public Summary summarize(Document d) {
    int words = 0;
    for (String line : d.lines()) {
      words += line.isBlank() ? 0 : line.trim().split("\\s+").length;
    }
    return new Summary(d.title(), words, d.attachment().length, ProcessHandle.current().pid());
  }

  private static final java.util.concurrent.atomic.AtomicInteger COOPERATIVE_STARTED =
      new java.util.concurrent.atomic.AtomicInteger();

  @Override
  public int cooperativeStarted() {
    return COOPERATIVE_STARTED.get();
  }

  @Override
  public long cooperativeWork(long maxMillis) {
    COOPERATIVE_STARTED.incrementAndGet();
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
    long rounds = 0;
    while (System.nanoTime() < end) {
      if (Cancellation.isCancelled()) {
        LAST_CANCEL_SEEN.set(System.nanoTime());
        Cancellation.throwIfCancelled();
      }
      rounds++;
      Thread.onSpinWait();
    }
    return rounds;
  }

  private static final java.util.concurrent.atomic.AtomicInteger STUBBORN_STARTED =
      new java.util.concurrent.atomic.AtomicInteger();

  @Override
  public int stubbornStarted() {
    return STUBBORN_STARTED.get();
  }

  @Override
  public long stubbornWork(long millis) {
    STUBBORN_STARTED.incrementAndGet();
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() < end) {
      try {
        Thread.sleep(1);
      } catch (InterruptedException ignored) {
        // stubborn: keeps going
      }
    }
    return millis;
  }

  private static final Map<String, Tether> NEXT = new ConcurrentHashMap<>();

  @Override
  public long relay(List<String> path, long maxMillis) {
    if (path.isEmpty()) {
      return cooperativeWork(maxMillis);
    }
    DemoService next = NEXT.computeIfAbsent(path.get(0), Tether::connect)
        .get(DemoService.class, "demo");
    try {
      return next.relay(path.subList(1, path.size()), maxMillis);
    } catch (CallCancelledException e) {
      LAST_CANCEL_SEEN.set(System.nanoTime());
      throw e;
    }
  }

  @Override
  public long lastCancelSeenNanos() {
    return LAST_CANCEL_SEEN.get();
  }

  @Override
  public CompletableFuture<Long> cooperativeWorkAsync(long maxMillis) {
    return CompletableFuture.completedFuture(cooperativeWork(maxMillis));
  }
}
