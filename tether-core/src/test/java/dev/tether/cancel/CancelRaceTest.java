package dev.tether.cancel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.tether.CallCancelledException;
import dev.tether.CancelResult;
import dev.tether.Cancellation;
import dev.tether.Tether;
import dev.tether.e2e.TestWorkers;
import dev.tether.fixtures.EchoService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Cancels racing the server's answer, and cancels from many threads at once. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CancelRaceTest {
  static Tether worker;
  static EchoService echo;

  @BeforeAll
  static void launch() {
    worker = TestWorkers.launchEcho();
    echo = worker.get(EchoService.class, "echo");
  }

  @AfterAll
  static void close() {
    worker.close();
  }

  private static final Duration[] GRACES = {
      Duration.ZERO, Duration.ofNanos(100_000), Duration.ofMillis(2), Duration.ofMillis(50)};

  @Test
  void cancelRacingTheAnswerEndsEveryCallExactlyOnceAndConsistently() throws Exception {
    Random random = new Random(20261121);
    Map<CancelResult, Integer> seen = new EnumMap<>(CancelResult.class);
    for (int i = 0; i < 2000; i++) {
      int value = i;
      long serverMicros = random.nextInt(200);
      long offsetNanos = random.nextInt(300_000);
      Duration grace = GRACES[random.nextInt(GRACES.length)];
      PendingCaller c =
          PendingCaller.startMaybeDone(() -> echo.spinThenReturn(value, serverMicros));
      long until = System.nanoTime() + offsetNanos;
      while (System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      CancelResult result = Cancellation.cancel(c.thread, grace);
      Object outcome = c.await();
      seen.merge(result, 1, Integer::sum);
      switch (result) {
        case ANSWERED, ALREADY_COMPLETE, NO_PENDING_CALL, NOT_ENABLED -> // the last two: it had ended
            assertThat(outcome).as("iteration %d, %s", i, result).isEqualTo(value);
        case ACKNOWLEDGED -> assertThat(outcome).as("iteration %d", i)
            .isInstanceOfSatisfying(CallCancelledException.class, e -> assertThat(e.acknowledged()).isTrue());
        case FORCED -> assertThat(outcome).as("iteration %d", i)
            .isInstanceOfSatisfying(CallCancelledException.class, e -> assertThat(e.acknowledged()).isFalse());
        default -> fail("iteration %d: unexpected %s with %s", i, result, outcome);
      }
      assertThat(c.ended()).isTrue();
    }
    assertThat(seen).as("both sides of the race happened").containsKeys(CancelResult.FORCED)
        .containsAnyOf(Map.entry(CancelResult.ANSWERED, seen.getOrDefault(CancelResult.ANSWERED, -1)),
            Map.entry(CancelResult.ALREADY_COMPLETE, seen.getOrDefault(CancelResult.ALREADY_COMPLETE, -1)));
    assertThat(worker.pendingCalls()).isZero();
    assertThat(echo.echo(1)).isEqualTo(1);
  }

  @Test
  void manyThreadsCancelCallsPendingOnManyThreadsAtOnce() throws Exception {
    int callers = 32;
    List<PendingCaller> calls = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      calls.add(i % 2 == 0
          ? PendingCaller.start(() -> echo.awaitCancel(60_000))  // cooperative
          : PendingCaller.startRunning(echo, () -> echo.sleep(20_000))); // ignores cancel
    }
    // 8 cancellers per call, all at once, each blocking up to the grace
    List<CompletableFuture<CancelResult>> cancels = new ArrayList<>();
    for (int k = 0; k < 8; k++) {
      for (PendingCaller c : calls) {
        CompletableFuture<CancelResult> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> f.complete(Cancellation.cancel(c.thread, Duration.ofMillis(500))));
        cancels.add(f);
      }
    }
    for (CompletableFuture<CancelResult> f : cancels) {
      // the last three: a later canceller found the call over, or the thread already gone
      assertThat(f.get(120, TimeUnit.SECONDS)).isIn(CancelResult.ACKNOWLEDGED, CancelResult.FORCED,
          CancelResult.ALREADY_COMPLETE, CancelResult.NO_PENDING_CALL, CancelResult.NOT_ENABLED);
    }
    for (int i = 0; i < callers; i++) {
      PendingCaller c = calls.get(i);
      boolean cooperative = i % 2 == 0;
      assertThat(c.await()).isInstanceOfSatisfying(CallCancelledException.class, e -> {
        if (!cooperative) {
          assertThat(e.forced()).isTrue();
        }
      });
      assertThat(c.ended()).isTrue();
    }
    assertThat(worker.pendingCalls()).isZero();
    assertThat(echo.echo(2)).isEqualTo(2);
  }
}
