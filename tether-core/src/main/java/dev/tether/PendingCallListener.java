package dev.tether;

/**
 * Watches calls that are taking long (COM's {@code IMessageFilter.MessagePending}): called when a
 * call has been pending longer than its {@link PendingCallWatch}'s first threshold, then again at
 * the watch's interval until the call ends. It may do nothing (keep waiting) or cancel the call
 * through {@link PendingCallInfo#canceller()}, with a grace.
 *
 * <p>Threads: each invocation runs on a virtual thread of its own, never on the blocked caller's
 * thread, on a thread that reads or writes a connection, or on the timer thread. At most one
 * invocation per call and listener runs at a time: a tick that comes while the previous
 * invocation still runs is skipped, so a listener that blocks (asking a user, say) never piles up
 * threads and never delays the call or other calls. It is never started once the call has ended.
 * Whatever it throws is logged ({@code System.Logger} "dev.tether") and ignored: the call goes on.
 */
@FunctionalInterface
public interface PendingCallListener {
  /**
   * The call described by {@code call} is still pending.
   *
   * @param call the call, its elapsed time and its cancel object; valid during this invocation
   */
  void stillPending(PendingCallInfo call);
}
