package dev.tether.scope;

import dev.tether.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.CallCancelledException;
import dev.tether.CancelScope;
import dev.tether.DeadlineExceededException;
import dev.tether.Tether;
import dev.tether.e2e.TestWorkers;
import dev.tether.fixtures.EchoService;
import dev.tether.fixtures.HopService;
import dev.tether.fixtures.HopServiceImpl;
import dev.tether.testing.Async;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Cancellation and deadlines travel down a chain of processes: client, A, B, C. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ChainTest {

  @Test
  void cancellingTheFirstCallerMakesTheLastServerObserveIt() throws Exception {
    try (Tether a = TestWorkers.launchEcho(); Tether b = TestWorkers.launchEcho();
        Tether c = TestWorkers.launchEcho()) {
      EchoService echoA = a.get(EchoService.class, "echo");
      EchoService echoC = c.get(EchoService.class, "echo");
      int startedC = echoC.startedCount();
      CompletableFuture<CancelScope> opened = new CompletableFuture<>();
      CompletableFuture<Throwable> call = Async.thrownBy(() -> {
        try (CancelScope scope = CancelScope.builder().grace(Duration.ofSeconds(30)).open()) {
          opened.complete(scope);
          echoA.relayChain(List.of(b.address(), c.address()), 60_000);
        }
      });
      Await.until(() -> echoC.startedCount() > startedC, "the call to reach C");
      opened.get(30, TimeUnit.SECONDS).cancel("user gave up");
      assertThat(call.get(60, TimeUnit.SECONDS)).isInstanceOfSatisfying(
          CallCancelledException.class, e -> {
            assertThat(e.acknowledged()).isTrue();
            assertThat(e.reason()).isEqualTo("user gave up");
          });
      assertThat(echoC.lastCancelSeenNanos()).isPositive();
      assertThat(b.get(EchoService.class, "echo").lastCancelSeenNanos()).isPositive();
      assertThat(echoA.lastCancelSeenNanos()).isPositive();
    }
  }

  @Test
  void aDeadlineExpiresAtEveryHopOfTheChain() throws Exception {
    try (Tether a = TestWorkers.launchEcho(); Tether b = TestWorkers.launchEcho();
        Tether c = TestWorkers.launchEcho()) {
      EchoService echoA = a.get(EchoService.class, "echo");
      EchoService echoB = b.get(EchoService.class, "echo");
      EchoService echoC = c.get(EchoService.class, "echo");
      echoA.relayChain(List.of(b.address()), 1); // connect the hops before timing anything
      echoB.relayChain(List.of(c.address()), 1);
      long t0 = System.nanoTime();
      Throwable thrown = Async.thrownBy(() -> CancelScope.callWithTimeout(Duration.ofMillis(500),
          () -> echoA.relayChain(List.of(b.address(), c.address()), 60_000)))
          .get(60, TimeUnit.SECONDS);
      assertThat(thrown).isInstanceOf(DeadlineExceededException.class);
      String[] names = {"A", "B", "C"};
      List<EchoService> hops = List.of(echoA, echoB, echoC);
      for (int h = 0; h < 3; h++) {
        EchoService hop = hops.get(h);
        // The caller is released when its own deadline passes; the farther hops hear the cancel
        // a moment later (it travels A -> B -> C), so wait for them, bounded.
        Await.until(() -> hop.lastCancelSeenNanos() != 0,
            "hop " + names[h] + " to see the deadline");
        long seen = hop.lastCancelSeenNanos();
        assertThat(seen - t0).as("hop %s saw it no sooner than the deadline", names[h])
            .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(400));
      }
    }
  }

  /**
   * Every hop sees a deadline as a deadline: the CANCEL a caller sends when its deadline passes
   * says so, and the server cancels the call as a deadline (not as "cancelled by the caller"),
   * whichever of that CANCEL and its own deadline timer comes first. Several rounds, because which
   * comes first is up to the scheduler.
   */
  @Test
  void everyHopSeesTheDeadlineAsADeadline() throws Exception {
    try (Tether a = launchHops(); Tether b = launchHops()) {
      HopService hopA = a.get(HopService.class, "hops");
      HopService hopB = b.get(HopService.class, "hops");
      hopA.relay(List.of(b.address()), 1); // connect A to B before timing anything
      for (int round = 0; round < 4; round++) {
        Throwable thrown = Async.thrownBy(() -> CancelScope.callWithTimeout(
            Duration.ofMillis(1500), () -> hopA.relay(List.of(b.address()), 60_000)))
            .get(60, TimeUnit.SECONDS);
        assertThat(thrown).as("round %d: the client", round)
            .isInstanceOf(DeadlineExceededException.class);
        // the client may be released a moment before B records what it saw (round 0 starts empty)
        Await.until(() -> !hopB.lastSeen().isEmpty() && !hopA.lastSeen().isEmpty(),
            "round " + round + ": both hops saw the cancellation");
        assertThat(hopB.lastSeen()).as("round %d: B's throwIfCancelled", round)
            .startsWith("DeadlineExceededException");
        assertThat(hopA.lastSeen()).as("round %d: A's call to B", round)
            .startsWith("DeadlineExceededException");
      }
    }
  }

  private static Tether launchHops() {
    return Tether.launch(TestWorkers.echoSpec()
        .export("hops", HopService.class, HopServiceImpl.class).build());
  }
}
