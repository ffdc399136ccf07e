package dev.tether;

/**
 * A snapshot of a {@link TetherPool}'s activity.
 *
 * @param workers workers serving now (including any being retired)
 * @param busyWorkers workers that have no room for another call now
 * @param callsInFlight calls being served now
 * @param unansweredCalls calls whose callers were released (forced cancel) and whose workers have
 *     not answered yet; each still occupies its worker's slot
 * @param waiting callers waiting for a free worker now
 * @param starting workers being started now
 * @param started workers started since the pool started (the initial ones included)
 * @param recycled workers retired after their call limit, or replaced because a released call
 *     stayed unanswered past the hung timeout
 * @param failed workers that failed to start, died, failed a health check or broke a connection
 * @param idleClosed workers closed because they stayed idle above the minimum
 */
public record PoolStats(int workers, int busyWorkers, int callsInFlight, int unansweredCalls,
    int waiting, int starting, long started, long recycled, long failed, long idleClosed) {}
