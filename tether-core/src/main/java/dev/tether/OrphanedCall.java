package dev.tether;

import java.time.Duration;

/**
 * A call a server is still running although its caller gave up (the grace ran out or the client
 * went away).
 *
 * @param method "Interface.method"
 * @param client who called it
 * @param running how long it has been running
 * @param sinceCallerLeft how long ago its caller gave up
 */
public record OrphanedCall(String method, String client, Duration running,
    Duration sinceCallerLeft) {}
