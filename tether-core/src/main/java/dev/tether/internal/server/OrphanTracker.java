package dev.tether.internal.server;

import dev.tether.OrphanedCall;
import dev.tether.internal.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Calls still running after their caller gave up (the grace ran out, or the client went away).
 * Counts them and lists the ones running now, with method names and how long they have run.
 */
public final class OrphanTracker {
  private final ConcurrentHashMap<ServerCall, Boolean> running = new ConcurrentHashMap<>();
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong finished = new AtomicLong();
  private final Clock clock;

  /** A tracker reading time from {@code clock}. */
  OrphanTracker(Clock clock) {
    this.clock = clock;
  }

  void add(ServerCall call) {
    running.put(call, Boolean.TRUE);
    total.incrementAndGet();
  }

  void finished(ServerCall call) {
    if (running.remove(call) != null) {
      finished.incrementAndGet();
    }
  }

  /** How long an answer of {@link #runningLongerThan} may be reused. */
  static final long RECOUNT_AFTER_NANOS = 5_000_000;

  private volatile long countedAt;
  private volatile long countedFor = -1;
  private volatile int counted;

  /**
   * Orphans running now whose caller left at least {@code nanos} ago, as counted at most
   * {@link #RECOUNT_AFTER_NANOS} ago: counting walks every orphan, and call admission asks for
   * every call while there are many (after a burst of cancels, thousands of young orphans that
   * end within milliseconds), so a fresh walk per call made each call cost the number of orphans.
   * Ask only when {@link #runningCount()} alone does not settle the question.
   */
  public int runningLongerThan(long nanos) {
    long now = clock.nanoTime();
    if (countedFor == nanos && now - countedAt < RECOUNT_AFTER_NANOS) {
      return counted; // racing recounts are harmless: each stores a fresh answer
    }
    int n = 0;
    for (ServerCall c : running.keySet()) {
      if (now - c.releasedNanos() >= nanos) {
        n++;
      }
    }
    counted = n;
    countedFor = nanos;
    countedAt = now;
    return n;
  }

  /** Orphans running now. */
  public int runningCount() {
    return running.size();
  }

  /** Orphans ever seen. */
  public long totalCount() {
    return total.get();
  }

  /** Orphans that have since finished (their answers were dropped). */
  public long finishedCount() {
    return finished.get();
  }

  /** A snapshot of the orphans running now, longest running first. */
  public List<OrphanedCall> snapshot() {
    long now = clock.nanoTime();
    List<OrphanedCall> out = new ArrayList<>();
    for (ServerCall c : running.keySet()) {
      out.add(new OrphanedCall(c.methodName(), c.connection.peer(),
          Duration.ofNanos(now - c.startedNanos), Duration.ofNanos(now - c.releasedNanos())));
    }
    out.sort((a, b) -> b.running().compareTo(a.running()));
    return out;
  }
}
