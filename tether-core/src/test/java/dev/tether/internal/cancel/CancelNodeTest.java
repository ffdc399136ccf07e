package dev.tether.internal.cancel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.internal.time.Deadline;
import dev.tether.testing.FakeClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The cancel tree's deadlines on a fake clock, and how it runs listeners and callbacks. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CancelNodeTest {
  final FakeClock clock = new FakeClock();

  private Deadline in(Duration d) {
    return Deadline.after(d, clock);
  }

  /** Cancellations the deadline timer starts land on a virtual thread: wait for that. */
  private static CancelReason awaitReason(CompletableFuture<CancelReason> told) throws Exception {
    return told.get(30, TimeUnit.SECONDS);
  }

  @Test
  void theDeadlineCancelsTheNodeWhenTheClockReachesItAndNotBefore() throws Exception {
    CancelNode node = CancelNode.create(null, in(Duration.ofSeconds(2)), 7);
    CompletableFuture<CancelReason> told = new CompletableFuture<>();
    node.addListener(told::complete);
    clock.advance(Duration.ofMillis(1999));
    assertThat(node.isCancelled()).isFalse();
    assertThat(told).isNotDone();
    clock.advance(Duration.ofMillis(1));
    CancelReason r = awaitReason(told);
    assertThat(r.deadline()).isTrue();
    assertThat(r.graceNanos()).isEqualTo(7);
    assertThat(node.reason()).isEqualTo(r);
    assertThat(clock.pendingTimers()).isZero();
  }

  @Test
  void aDeadlineAlreadyPassedCancelsTheNodeAtOnceWithoutATimer() {
    CancelNode late = CancelNode.create(null, Deadline.after(-1, clock), 3);
    assertThat(late.isCancelled()).isTrue();
    assertThat(late.reason().deadline()).isTrue();
    assertThat(late.reason().graceNanos()).isEqualTo(3);
    assertThat(clock.pendingTimers()).isZero();
  }

  @Test
  void aChildInheritsTheEarlierDeadlineOfItsParentAndIsCancelledWithIt() throws Exception {
    CancelNode parent = CancelNode.create(null, in(Duration.ofSeconds(1)), 5);
    CancelNode child = CancelNode.create(parent, in(Duration.ofSeconds(10)), 9);
    assertThat(child.deadline()).isSameAs(parent.deadline());
    assertThat(clock.pendingTimers()).as("only the parent's deadline needs a timer").isEqualTo(1);
    CompletableFuture<CancelReason> told = new CompletableFuture<>();
    child.addListener(told::complete);
    clock.advance(Duration.ofSeconds(1));
    CancelReason r = awaitReason(told);
    assertThat(r.deadline()).isTrue();
    assertThat(r.graceNanos()).isEqualTo(5);
  }

  @Test
  void aChildWithAnEarlierDeadlineLeavesItsParentAlone() throws Exception {
    CancelNode parent = CancelNode.create(null, in(Duration.ofSeconds(10)), 0);
    CancelNode child = CancelNode.create(parent, in(Duration.ofSeconds(1)), 0);
    CompletableFuture<CancelReason> told = new CompletableFuture<>();
    child.addListener(told::complete);
    clock.advance(Duration.ofSeconds(1));
    assertThat(awaitReason(told).deadline()).isTrue();
    assertThat(parent.isCancelled()).isFalse();
  }

  @Test
  void closingANodeStopsItsDeadlineTimer() {
    CancelNode node = CancelNode.create(null, in(Duration.ofSeconds(1)), 0);
    assertThat(clock.pendingTimers()).isEqualTo(1);
    node.close();
    assertThat(clock.pendingTimers()).isZero();
  }

  @Test
  void callbacksRunOnAVirtualThreadAndAnswersWaitForThem() throws Exception {
    CancelNode node = CancelNode.create(null, null, 0);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Thread> ranOn = new CompletableFuture<>();
    node.addCallback(() -> {
      ranOn.complete(Thread.currentThread());
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    node.cancel(CancelReason.of("stop", 0)); // returns although the callback blocks
    assertThat(ranOn.get(30, TimeUnit.SECONDS).isVirtual()).isTrue();
    assertThat(node.callbacksRunning()).isTrue();
    CompletableFuture<String> answered = new CompletableFuture<>();
    node.afterCallbacks(() -> answered.complete("answer"));
    assertThat(answered).as("held while the callback runs").isNotDone();
    release.countDown();
    assertThat(answered.get(30, TimeUnit.SECONDS)).isEqualTo("answer");
    assertThat(node.callbacksRunning()).isFalse();
    AtomicInteger later = new AtomicInteger();
    node.afterCallbacks(later::incrementAndGet); // nothing running: at once, on this thread
    assertThat(later).hasValue(1);
  }

  /**
   * A bulk cancel (a client cancelling thousands of calls, each CANCEL frame cancelling one served
   * call) must not start a thread per cancelled node: starting and scheduling one is what made
   * {@code cancel_10k} slow. Callbacks of nodes cancelled in a burst share a few threads.
   */
  @Test
  void callbacksOfNodesCancelledInABurstShareAFewThreads() throws Exception {
    int n = 2000;
    CountDownLatch ran = new CountDownLatch(n);
    java.util.Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
    CancelNode connection = CancelNode.create(null, null, 0);
    java.util.List<CancelNode> calls = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      CancelNode call = CancelNode.create(connection, null, 0);
      call.addCallback(() -> {
        threads.add(Thread.currentThread());
        ran.countDown();
      });
      calls.add(call);
    }
    // A burst: every cancel before any callback can run, whatever the machine's load (a loaded
    // machine's slow loop let the drainer empty the queue and end between cancels: 248 threads).
    whileVirtualThreadsCannotRun(() -> {
      for (CancelNode call : calls) {
        call.cancel(CancelReason.of("cancelled by the caller", 0));
      }
    });
    assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(threads).allMatch(Thread::isVirtual);
    assertThat(threads.size()).as("threads that ran %d nodes' callbacks", n).isLessThan(n / 10);
  }

  /**
   * Runs {@code r} while every carrier thread of the virtual threads is held by a virtual thread
   * that never parks (a virtual thread is not preempted), so no other virtual thread runs.
   */
  private static void whileVirtualThreadsCannotRun(Runnable r) throws InterruptedException {
    int carriers = Integer.getInteger("jdk.virtualThreadScheduler.parallelism",
        Runtime.getRuntime().availableProcessors());
    java.util.concurrent.atomic.AtomicBoolean hold =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    CountDownLatch holding = new CountDownLatch(carriers);
    try {
      for (int i = 0; i < carriers; i++) {
        Thread.ofVirtual().start(() -> {
          holding.countDown();
          while (hold.get()) {
            Thread.onSpinWait();
          }
        });
      }
      assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
      r.run();
    } finally {
      hold.set(false);
    }
  }

  /**
   * Sharing threads must not let one blocking callback hold up other nodes' callbacks: while a
   * callback is blocked, the next node's still run.
   */
  @Test
  void aBlockedCallbackDoesNotHoldUpOtherNodesCallbacks() throws Exception {
    CancelNode blocked = CancelNode.create(null, null, 0);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    blocked.addCallback(() -> {
      started.countDown();
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    blocked.cancel(CancelReason.of("stop", 0));
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
    try {
      for (int i = 0; i < 3; i++) {
        CancelNode other = CancelNode.create(null, null, 0);
        CountDownLatch otherRan = new CountDownLatch(1);
        other.addCallback(otherRan::countDown);
        other.cancel(CancelReason.of("stop", 0));
        assertThat(otherRan.await(30, TimeUnit.SECONDS)).as("node %d", i).isTrue();
      }
    } finally {
      release.countDown();
    }
  }

  /**
   * The race behind "onCancel ran zero times when the call answered": the served method sees the
   * reason as soon as it is set and answers; its callbacks must have run by then. Whoever sees the
   * reason must also see the callbacks as running, so the answer waits for them.
   */
  @Test
  void whoeverSeesTheReasonAlsoSeesTheCallbacksRunning() throws Exception {
    for (int i = 0; i < 2000; i++) {
      CancelNode node = CancelNode.create(null, null, 0);
      AtomicInteger runs = new AtomicInteger();
      node.addCallback(runs::incrementAndGet);
      CyclicBarrier start = new CyclicBarrier(2);
      CompletableFuture<Integer> seenWhenAnswering = new CompletableFuture<>();
      Thread method = Thread.ofPlatform().start(() -> {
        await(start);
        while (!node.isCancelled()) {
          Thread.onSpinWait();
        }
        node.afterCallbacks(() -> seenWhenAnswering.complete(runs.get()));
      });
      await(start);
      node.cancel(CancelReason.of("stop", 0));
      assertThat(seenWhenAnswering.get(30, TimeUnit.SECONDS)).as("iteration %d", i).isEqualTo(1);
      method.join();
    }
  }

  @Test
  void everyCallbackRunsExactlyOnceWhenRegistrationRacesCancellation() throws Exception {
    for (int i = 0; i < 2000; i++) {
      CancelNode node = CancelNode.create(null, null, 0);
      AtomicInteger runs = new AtomicInteger();
      CountDownLatch ran = new CountDownLatch(2);
      CyclicBarrier start = new CyclicBarrier(2);
      Thread registrar = Thread.ofPlatform().start(() -> {
        await(start);
        node.addCallback(() -> {
          runs.incrementAndGet();
          ran.countDown();
        });
        node.addCallback(() -> {
          runs.incrementAndGet();
          ran.countDown();
        });
      });
      await(start);
      node.cancel(CancelReason.of("stop", 0));
      node.cancel(CancelReason.of("again", 0));
      registrar.join();
      assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(runs).as("iteration %d", i).hasValue(2);
    }
  }

  @Test
  void aRemovedCallbackNeverRuns() {
    CancelNode node = CancelNode.create(null, null, 0);
    AtomicInteger runs = new AtomicInteger();
    node.addCallback(runs::incrementAndGet).remove();
    node.cancel(CancelReason.of("stop", 0));
    node.afterCallbacks(() -> { });
    assertThat(node.callbacksRunning()).isFalse();
    assertThat(runs).hasValue(0);
  }

  private static void await(CyclicBarrier b) {
    try {
      b.await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The current thread's allocation counter (see dev.tether.fuzz.Allocation for why reflection). */
  private static long allocatedBytes() throws ReflectiveOperationException {
    Object threads = Class.forName("java.lang.management.ManagementFactory")
        .getMethod("getThreadMXBean").invoke(null);
    return (long) Class.forName("com.sun.management.ThreadMXBean")
        .getMethod("getCurrentThreadAllocatedBytes").invoke(threads);
  }

  private static long bytesPerChild(CancelNode parent, int n) throws Exception {
    CancelNode[] children = new CancelNode[n];
    long before = allocatedBytes();
    for (int i = 0; i < n; i++) {
      children[i] = CancelNode.create(parent, null, 0);
    }
    long after = allocatedBytes();
    for (CancelNode c : children) {
      c.close();
    }
    return (after - before) / n;
  }

  @Test
  void aNodeThatNeverGetsAListenerCostsNoListenerTable() throws Exception {
    // Each pending call on a server is a node under its connection's; a bulk cancel of 100,000
    // calls spent most of its time in GC copying them (issue 14). An empty listener table per
    // node was a third of a node's bytes.
    CancelNode parent = CancelNode.create(null, null, 0);
    for (int i = 0; i < 5; i++) {
      bytesPerChild(parent, 20_000); // warm: the parent's table grows once, code compiles
    }
    long perChild = bytesPerChild(parent, 20_000);
    assertThat(perChild).as("bytes allocated per child node").isLessThan(BYTES_PER_CHILD_LIMIT);
    CancelNode child = CancelNode.create(parent, null, 0);
    AtomicInteger told = new AtomicInteger();
    child.addListener(r -> told.incrementAndGet()); // the table appears when needed
    parent.cancel(CancelReason.of("test", 0));
    assertThat(told).hasValue(1);
  }

  /** Measured: 240 bytes with an empty table per node, 120 without (JDK 25, compressed oops). */
  private static final long BYTES_PER_CHILD_LIMIT = 170;
}
