package dev.tether.internal.server;

import dev.tether.CallListener;
import java.time.Duration;

/**
 * Settings of a server.
 *
 * @param maxFrameBytes largest frame accepted from clients
 * @param handshakeTimeout time a new connection has to send HELLO before it is closed
 * @param drainTimeout on close, how long running calls may take to finish before they are
 *     cancelled and the connections closed
 * @param description who this server is, sent to clients in HELLO
 * @param maxCallThreads most calls running at once on call threads (one platform thread each),
 *     orphans not counted; beyond it a call is refused (see {@link CallAdmission})
 * @param spinNanos how long a connection's reader polls for the next frame before it blocks
 * @param maxOrphans running orphans at which the server refuses new calls
 * @param connectionBufferBytes per connection: bytes of frames being read, arguments held by
 *     running calls and results waiting to be written, beyond which the connection is not read
 * @param serverBufferBytes the same for all connections together (results not counted, so a
 *     client that does not read stops only itself)
 * @param decodeMultiple a call's arguments may decode to this many times their frame's size
 * @param maxDecodedBytes and never to more than this (estimated bytes)
 * @param writeStallTimeout a write to a client that makes no progress this long closes it
 * @param maxConnections connections open at once; a new one beyond it is refused with GOAWAY
 * @param maxCallsPerConnection calls one connection may have running at once (orphans and calls
 *     waiting for a returned future included); beyond it a call is refused
 * @param idleTimeout a connection without calls and without frames for this long is told to go
 *     away and closed; zero: never
 * @param security who may connect and how they authenticate (see {@link ServerSecurity})
 * @param concurrencyLimit the built-in load shedding, or null for none
 * @param incomingCallFilter the user's filter of incoming calls, or null for none
 * @param tls TLS for TCP listeners, or null for plain TCP
 * @param failedConnectionRate failed connections a second the server absorbs before it paces
 *     accepting (see {@link FailedConnectionPacing})
 * @param streamWindowBytes credit the server grants each stream it receives (an argument stream)
 */
public record ServerOptions(int maxFrameBytes, Duration handshakeTimeout, Duration drainTimeout,
    String description, int maxCallThreads, long spinNanos, int maxOrphans,
    long connectionBufferBytes, long serverBufferBytes, int decodeMultiple,
    long maxDecodedBytes, Duration writeStallTimeout, int maxConnections,
    int maxCallsPerConnection, Duration idleTimeout, ServerSecurity security,
    CallListener callListener, dev.tether.ConcurrencyLimit concurrencyLimit,
    dev.tether.IncomingCallFilter incomingCallFilter,
    dev.tether.internal.transport.TlsConfig tls, int failedConnectionRate,
    int streamWindowBytes) {

  /**
   * Whether the listener's callbacks need the call on a call thread (its {@code started} before
   * the method), so calls never run inline on a reader.
   */
  public boolean listenerNeedsCallThread() {
    return callListener != null && callListener.requiresStartBeforeMethod();
  }
}
