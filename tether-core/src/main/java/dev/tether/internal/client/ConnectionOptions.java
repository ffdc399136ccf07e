package dev.tether.internal.client;

import java.time.Duration;

/**
 * Settings of one client connection.
 *
 * @param maxFrameBytes largest frame this side accepts
 * @param handshakeTimeout bound on connecting, the HELLO exchange and resolving an object
 * @param pingInterval how long the connection may be silent while calls are pending before a PING
 * @param pingTimeout how long after that PING the peer may stay silent before the connection is
 *     declared dead and every pending call fails
 * @param description who this side is, sent in HELLO for the peer's messages
 * @param spinNanos how long a thread waiting for an answer polls the socket before it blocks
 */
public record ConnectionOptions(int maxFrameBytes, Duration handshakeTimeout,
    Duration pingInterval, Duration pingTimeout, String description, long spinNanos) {}
