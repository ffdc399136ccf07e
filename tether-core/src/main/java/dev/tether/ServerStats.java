package dev.tether;

/**
 * A snapshot of a server's activity.
 *
 * @param connections connections open now
 * @param connectionsAccepted connections accepted since start
 * @param callsStarted calls received since start
 * @param callsRunning calls being served now (orphans included)
 * @param orphansRunning calls running now whose caller gave up
 * @param orphansTotal calls ever orphaned
 * @param orphansFinished orphans that have since finished (their answers were dropped)
 */
public record ServerStats(int connections, long connectionsAccepted, long callsStarted,
    long callsRunning, int orphansRunning, long orphansTotal, long orphansFinished) {}
