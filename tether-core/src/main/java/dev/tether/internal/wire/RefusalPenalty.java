package dev.tether.internal.wire;

import dev.tether.internal.time.Clock;
import dev.tether.internal.time.DrainingDebt;

/**
 * Makes work that a server refuses cost the peers that cause it, not everybody. A call refused for
 * what its arguments decode to was still read off the socket and partly decoded: a peer sending
 * such 16 MiB calls in a loop kept both cores of a small machine busy reading and collecting
 * garbage, and the other clients' round trips took 400 times longer (the attack benchmark's
 * decode-amplification). Each refused frame adds its size to a debt that drains at a fixed rate;
 * while the debt exceeds the allowance, the server's readers hold off reading <em>large</em>
 * frames (those that need a body beyond the reader's own buffer), so their senders' writes block
 * in TCP and cost nothing. Small frames are never held: ordinary calls go on at full speed, on
 * every connection. The debt is the server's, not a connection's, so a peer cannot escape it by
 * reconnecting; legitimate large calls of other clients wait too, for at most the cap divided by
 * the rate, and only while refusals keep coming.
 *
 * <p>The bookkeeping is a {@link DrainingDebt}.
 *
 * <p>Thread safety: safe for use by many threads; lock-free.
 */
public final class RefusalPenalty {
  private static final long MAX_HOLD_NANOS = 4_000_000_000L;
  private final DrainingDebt debt;

  /**
   * A penalty that lets large frames through while the debt is at most {@code allowance} bytes,
   * drains {@code drainPerSecond} bytes a second, and never holds more than {@code allowance}
   * plus four times that rate (so a large frame never waits more than four seconds). Both at
   * most 4 GiB.
   */
  public RefusalPenalty(long allowance, long drainPerSecond, Clock clock) {
    this.debt = new DrainingDebt(allowance, drainPerSecond, MAX_HOLD_NANOS, clock);
  }

  /**
   * A frame of {@code bytes} was read and then refused: its cost goes on the debt (less what was
   * charged provisionally for it, which the caller then keeps).
   */
  public void refused(long bytes) {
    debt.add(bytes);
  }

  /** Whether a reader may read a large frame now. */
  public boolean allowsLargeFrame() {
    return debt.withinAllowance();
  }

  /**
   * Asks to read a large frame of {@code bytes}. Returns -1 when it must wait; 0 when there is no
   * debt (it is read for free); otherwise the bytes charged provisionally, which the caller
   * {@link #refund refunds} once the frame turns out acceptable, or keeps when it is refused.
   * The check and the charge are one atomic step, so when a hold ends one waiting reader reads
   * and the others go on waiting (each looked on its own before, and all of them read at once).
   */
  public long admitLarge(int bytes) {
    if (debt.isClear()) {
      return 0;
    }
    return debt.tryAdd(bytes) ? bytes : -1;
  }

  /** Takes back a provisional charge of {@link #admitLarge}: the frame was acceptable. */
  public void refund(long bytes) {
    if (bytes > 0) {
      debt.remove(bytes);
    }
  }

  /** The debt now, in bytes. */
  public long debt() {
    return debt.debt();
  }
}
