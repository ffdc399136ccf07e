package dev.tether.cli.demo;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** What the demo's worker exports. */
public interface DemoService {
  /** A greeting that names the worker's pid. */
  String greet(String name);

  /** Counts words and bytes of a document. */
  Summary summarize(Document document);

  /**
   * Cooperative work: runs until cancelled, checking {@code Cancellation.isCancelled()} in its
   * loop, then lets the cancellation escape. Gives up after {@code maxMillis}.
   */
  long cooperativeWork(long maxMillis);

  /** How many cooperative calls have started running in this worker. */
  int cooperativeStarted();

  /** Uncooperative work: runs for {@code millis} and never looks at cancellation. */
  long stubbornWork(long millis);

  /** How many uncooperative calls have started running in this worker. */
  int stubbornStarted();

  /**
   * A call that travels on: with no addresses, {@link #cooperativeWork}; otherwise calls relay
   * with the rest of the path on the DemoService at the first address.
   */
  long relay(List<String> path, long maxMillis);

  /**
   * When (System.nanoTime in the worker) a cooperative call or a relay last saw its call
   * cancelled here; 0 if never.
   */
  long lastCancelSeenNanos();

  /** Asynchronous form of cooperative work. */
  CompletableFuture<Long> cooperativeWorkAsync(long maxMillis);

  /** A document sent to the worker. */
  record Document(String title, List<String> lines, byte[] attachment) {}

  /** What {@link #summarize} returns. */
  record Summary(String title, int words, int bytes, long workerPid) {}
}
