package dev.tether;

/**
 * A snapshot of a server's activity.
 *
 * @param connections connections open now
 * @param connectionsAccepted connections accepted since start
 * @param callsStarted calls received since start
 * @param callsRunning calls being served now (orphans included)
 * @param orphansRunning calls running now whose caller gave up (released before the answer)
 * @param orphansTotal calls ever orphaned: running when their caller was released, however soon
 *     they stopped after
 * @param orphansFinished orphans that have since finished (their answers were dropped); every
 *     released call is either here or answered late (see {@link Tether#discardedAnswers()})
 * @param connectionsRefused connections turned away since start because the server had
 *     {@code maxConnections} open (each was told why in a GOAWAY, then closed)
 * @param acceptFailures failed attempts to accept a connection since start (for example the
 *     process was out of descriptors); the server retries with pauses
 * @param listenersBroken listeners closed because they were broken for good (their addresses
 *     accept nothing any more); 0 in a healthy server
 * @param authFailures peers refused since start because they could not be authenticated: a Unix
 *     peer the {@link UnixPeerPolicy} does not admit, a wrong or missing shared secret (each was
 *     told why in a GOAWAY, and nothing it sent was served), or a failed TLS handshake
 *     (untrusted or missing client certificate, a peer that does not speak TLS, or one silent
 *     past the handshake timeout)
 * @param listenerNotificationsDropped {@link CallListener} notifications of calls served inline
 *     on a connection's reader (or refused by it) that were dropped because the server's
 *     notification queue was full (the listener was slower than calls end); 0 normally
 */
public record ServerStats(int connections, long connectionsAccepted, long callsStarted,
    long callsRunning, int orphansRunning, long orphansTotal, long orphansFinished,
    long connectionsRefused, long acceptFailures, int listenersBroken, long authFailures,
    long listenerNotificationsDropped) {}
