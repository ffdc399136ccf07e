package dev.tether.testing;

import dev.tether.internal.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A {@link Clock} that stands still until the test {@linkplain #advance advances} it; timers due by
 * then run on the advancing thread, in order of their due time. Starts at a reading near
 * {@code Long.MAX_VALUE}, so code that subtracts readings carelessly overflows in tests. Thread-safe.
 */
public final class FakeClock implements Clock {
  private record Task(long due, long seq, Runnable run) {}

  private final Object lock = new Object();
  private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> {
    int c = Long.compare(a.due - b.due, 0);
    return c != 0 ? c : Long.compare(a.seq, b.seq);
  });
  private long nanos = Long.MAX_VALUE - Duration.ofHours(1).toNanos();
  private long elapsed;
  private long seq;
  private final Instant start = Instant.parse("2026-01-01T00:00:00Z");

  @Override
  public long nanoTime() {
    synchronized (lock) {
      return nanos;
    }
  }

  @Override
  public Instant now() {
    synchronized (lock) {
      return start.plusNanos(elapsed);
    }
  }

  @Override
  public Timer schedule(Runnable task, long delayNanos) {
    Task t;
    synchronized (lock) {
      t = new Task(nanos + Math.max(0, delayNanos), seq++, task);
      tasks.add(t);
    }
    return () -> {
      synchronized (lock) {
        tasks.remove(t);
      }
    };
  }

  /** Timers armed and not yet fired or cancelled. */
  public int pendingTimers() {
    synchronized (lock) {
      return tasks.size();
    }
  }

  /** Moves time forward by {@code d} and runs, on this thread, every timer due by then. */
  public void advance(Duration d) {
    long target;
    synchronized (lock) {
      target = nanos + d.toNanos();
    }
    while (true) {
      Task next;
      synchronized (lock) {
        next = tasks.peek();
        if (next == null || next.due - target > 0) {
          elapsed += target - nanos;
          nanos = target;
          return;
        }
        tasks.poll();
        elapsed += next.due - nanos;
        nanos = next.due;
      }
      next.run.run();
    }
  }

  /** Tasks due so far, for messages. */
  @Override
  public String toString() {
    List<Long> due = new ArrayList<>();
    synchronized (lock) {
      tasks.forEach(t -> due.add(t.due - nanos));
    }
    return "FakeClock[timers due in " + due + " ns]";
  }
}
