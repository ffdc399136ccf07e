package dev.tether.internal.server;

/**
 * Decides whether a new call may run, so that a server that cannot serve says so at once instead
 * of queueing calls behind threads that never come free. Two bounds:
 *
 * <ul>
 *   <li>the orphan cap: calls still running {@link #STUCK_AFTER_NANOS 2 s or more} after their
 *       callers gave up. Reaching it means methods ignore cancellation and hold threads and CPU
 *       for good; the server refuses new calls until orphans end (only a restart of the process
 *       ends a spinning one). Younger orphans are normal: cancelling many calls with no grace
 *       leaves each running until it notices, usually milliseconds (a benchmark that cancelled
 *       10,000 calls had 325 such orphans at once, and a cap on all orphans refused the next
 *       calls for nothing);
 *   <li>the call cap: call threads busy at once ({@link CallExecutor}: one platform thread per
 *       running call), young orphans included (they still hold their threads); stuck orphans do
 *       not count: they never take the capacity new calls need. Calls that wait for a future
 *       their method returned hold no thread and do not count.
 * </ul>
 *
 * <p>The admin object is never refused, so a monitor can always see why. Thread safety: safe for
 * use by many threads; the counts it judges are snapshots, so a burst may overshoot a bound by the
 * number of connections reading at that moment.
 */
final class CallAdmission {
  /** An orphan whose caller left this long ago counts toward the orphan cap. */
  static final long STUCK_AFTER_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);

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
   * @param orphansRunning orphans running now whose caller left over {@link #STUCK_AFTER_NANOS}
   *     ago (the count may include younger ones while it stays under the cap)
   */
  String refusal(int busyThreads, int orphansRunning) {
    String why = null;
    if (orphansRunning >= maxOrphans) {
      why = "server exhausted: " + orphansRunning + " orphaned calls (whose callers gave up over "
          + "2 s ago) are still running, and the cap is " + maxOrphans + "; their methods ignore cancellation, "
          + "so the server needs a restart (tether.admin orphans() lists them)";
    } else if (busyThreads - orphansRunning >= maxCalls) {
      why = "server exhausted: " + (busyThreads - orphansRunning) + " calls are running, the "
          + "most it runs at once (maxCallThreads " + maxCalls + ")";
    }
    return why;
  }

  /** The orphan cap. */
  int maxOrphans() {
    return maxOrphans;
  }
}
