package dev.tether.internal.server;

import dev.tether.internal.time.Clock;
import dev.tether.internal.time.DrainingDebt;
import java.util.concurrent.TimeUnit;

/**
 * Makes peers whose connections fail cost the server a bounded rate of connections, not its
 * cores. A connection fails when its peer breaks the protocol, fails to authenticate or does not
 * finish the handshake in time. Each failure adds one to a server-wide {@link DrainingDebt} that
 * drains at {@code perSecond}; while the debt is more than one second's worth, the accept loops
 * hold off ({@link #holdNanos}), so new connections wait in the kernel's backlog and a peer
 * opening connections in a loop to send garbage waits in its {@code connect}. Measured before: four
 * such peers kept a 2-core machine busy with about 600 connections a second and the round trips of
 * a healthy client on its own connection took 11 times longer at p99 (the attack benchmark's
 * {@code garbage}). Connections already open are never affected; new ones are, while failures
 * keep coming, which is the price of a server-wide rather than a per-peer debt (a peer's address
 * says little on loopback, behind NAT or for Unix sockets).
 *
 * <p>Thread safety: lock-free; {@link #failed} is called from readers and the timer thread,
 * {@link #holdNanos} from accept loops.
 */
final class FailedConnectionPacing {
  /** The longest hold once failures stop. */
  static final long MAX_HOLD_NANOS = TimeUnit.SECONDS.toNanos(4);

  private final DrainingDebt debt;

  FailedConnectionPacing(int perSecond, Clock clock) {
    this.debt = new DrainingDebt(perSecond, perSecond, MAX_HOLD_NANOS, clock);
  }

  /** A connection failed (protocol error, failed authentication, handshake timeout). */
  void failed() {
    debt.add(1);
  }

  /** How long an accept loop should wait before it accepts the next connection; 0: at once. */
  long holdNanos() {
    return debt.nanosUntilWithinAllowance();
  }

  /** Failed connections not yet drained. */
  long debt() {
    return debt.debt();
  }
}
