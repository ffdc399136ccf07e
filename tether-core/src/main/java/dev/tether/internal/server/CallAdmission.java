package dev.tether.internal.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides whether a new call may run, so that a server that cannot serve says so at once instead
 * of queueing calls behind threads that never come free. Two bounds:
 *
 * <ul>
 *   <li>the orphan cap: calls still running after their callers gave up. Reaching it means
 *       methods ignore cancellation and hold threads and CPU for good; the server refuses new
 *       calls until orphans end (only a restart of the process ends a spinning one);
 *   <li>the call cap: calls running at once with a caller still waiting, each on a platform
 *       thread of its own ({@link CallExecutor}). Orphans do not count here: they never take the
 *       capacity new calls need.
 * </ul>
 *
 * <p>The admin object is never refused, so a monitor can always see why. Thread safety: safe for
 * use by many threads; the counts it judges are snapshots, so a burst may overshoot a bound by the
 * number of connections reading at that moment.
 */
final class CallAdmission {
  private final int maxCalls;
  private final int maxOrphans;
  private final AtomicLong refused = new AtomicLong();

  CallAdmission(int maxCalls, int maxOrphans) {
    this.maxCalls = maxCalls;
    this.maxOrphans = maxOrphans;
  }

  /**
   * Null when a new call may run, else why not, in the user's terms.
   *
   * @param callsRunning calls running now, orphans and the new call included
   * @param orphansRunning orphans running now
   */
  String refusal(long callsRunning, int orphansRunning) {
    String why = null;
    if (orphansRunning >= maxOrphans) {
      why = "server exhausted: " + orphansRunning + " orphaned calls (whose callers gave up) are "
          + "still running, and the cap is " + maxOrphans + "; their methods ignore cancellation, "
          + "so the server needs a restart (tether.admin orphans() lists them)";
    } else if (callsRunning - orphansRunning > maxCalls) {
      why = "server exhausted: " + (callsRunning - orphansRunning - 1) + " calls are running, "
          + "the most it serves at once (maxCallThreads " + maxCalls + ")";
    }
    if (why != null) {
      refused.incrementAndGet();
    }
    return why;
  }

  /** Calls refused since start. */
  long refusedCount() {
    return refused.get();
  }

  int maxOrphans() {
    return maxOrphans;
  }
}
