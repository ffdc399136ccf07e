package dev.tether;

/**
 * Decides, for each incoming call before it runs, whether the server takes it (COM's
 * {@code IMessageFilter.HandleInComingCall}): {@link CallVerdict#accept()}, reject (the caller
 * gets a {@link CallRefusedException} with {@link ErrorCode#REJECTED}; never retried) or busy
 * with an optional retry-after hint (the caller's {@link RetryPolicy} decides whether and when to
 * retry; past it, {@link ServerBusyException}). Either way a refused method never starts.
 *
 * <p>Threads: a filter is user code, so it never runs on a connection's reader thread or the
 * timer thread; it runs on the call thread that would run the method, just before it (so a server
 * with a filter never runs calls inline on the reader). It may block, but every call it holds
 * holds a call thread ({@code maxCallThreads}). For shedding load before any thread is spent,
 * use the built-in {@link ConcurrencyLimit}, which Tether checks on the reader. A filter that
 * throws rejects the call (the caller is told why) and is logged. The admin object's calls are
 * never filtered. Must be thread-safe: many calls are filtered at once.
 */
@FunctionalInterface
public interface IncomingCallFilter {
  /**
   * The verdict on {@code call}.
   *
   * @param call the method and the server's load; valid only during this invocation
   * @return never null
   */
  CallVerdict filter(IncomingCall call);
}
