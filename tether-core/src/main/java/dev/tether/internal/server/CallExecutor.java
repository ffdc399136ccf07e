package dev.tether.internal.server;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where served calls run: on a bounded pool of reused platform threads first, and on virtual
 * threads when all of those are busy.
 *
 * <p>Why not virtual threads only: they are not preempted, so a few uncooperative methods that
 * spin on the CPU (exactly the code people isolate in workers) would hold every carrier thread and
 * stall every other call in the process. Platform threads are scheduled by the OS. Why not
 * platform threads only: ten thousand calls blocked at once would need ten thousand of them, which
 * virtual threads make cheap.
 */
final class CallExecutor {
  private static final ThreadFactory VIRTUAL = Thread.ofVirtual().name("tether-call-v", 0).factory();

  private final ThreadPoolExecutor platform;

  /** Up to {@code platformThreads} platform threads (0: virtual threads only). */
  CallExecutor(int platformThreads) {
    ThreadFactory factory = Thread.ofPlatform().daemon().name("tether-call-", 0).factory();
    platform = platformThreads == 0 ? null : new ThreadPoolExecutor(0, platformThreads, 30,
        TimeUnit.SECONDS, new SynchronousQueue<>(), factory, new ThreadPoolExecutor.AbortPolicy());
  }

  /** Runs {@code call} on an idle or new platform thread, else on a new virtual thread. */
  void execute(Runnable call) {
    if (platform != null) {
      try {
        platform.execute(call);
        return;
      } catch (RejectedExecutionException busy) {
        // every platform thread is serving a call
      }
    }
    VIRTUAL.newThread(call).start();
  }

  /** Lets idle platform threads end; running calls are not affected. */
  void shutdown() {
    if (platform != null) {
      platform.shutdown();
    }
  }
}
