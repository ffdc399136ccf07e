package dev.tether.internal.server;

/**
 * Decides whether a new call may run, so that a server that cannot serve says so at once instead
 * of queueing calls behind threads that never come free. Two bounds:
 *
 * <ul>
 *   <li>the orphan cap: calls still running after their callers gave up. Reaching it means
 *       methods ignore cancellation and hold threads and CPU for good; the server refuses new
 *       calls until orphans end (only a restart of the process ends a spinning one);
 *   <li>the call cap: call threads busy at once ({@link CallExecutor}: one platform thread per
 *       running call), orphans not counted: they never take the capacity new calls need. Calls
 *       that wait for a future their method returned hold no thread and do not count.
 * </ul>
 *
 * <p>The admin object is never refused, so a monitor can always see why. Thread safety: safe for
 * use by many threads; the counts it judges are snapshots, so a burst may overshoot a bound by the
 * number of connections reading at that moment.
 */
final class CallAdmission {
  private final int maxCalls;
  private final int maxOrphans;

  CallAdmission(int maxCalls, int maxOrphans) {
    this.maxCalls = maxCalls;
    this.maxOrphans = maxOrphans;
  }

  /**
   * Null when a new call may run, else why not, in the user's terms.
   *
   * @param busyThreads call threads running a call now, orphans included
   * @param orphansRunning orphans running now
   */
  String refusal(int busyThreads, int orphansRunning) {
    String why = null;
    if (orphansRunning >= maxOrphans) {
      why = "server exhausted: " + orphansRunning + " orphaned calls (whose callers gave up) are "
          + "still running, and the cap is " + maxOrphans + "; their methods ignore cancellation, "
          + "so the server needs a restart (tether.admin orphans() lists them)";
    } else if (busyThreads - orphansRunning >= maxCalls) {
      why = "server exhausted: " + (busyThreads - orphansRunning) + " calls are running, the "
          + "most it runs at once (maxCallThreads " + maxCalls + ")";
    }
    return why;
  }
}
