package dev.tether.scope;

import dev.tether.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.CallCancelledException;
import dev.tether.CancelResult;
import dev.tether.Cancellation;
import dev.tether.Tether;
import dev.tether.e2e.TestWorkers;
import dev.tether.fixtures.SleepService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The serving thread is interrupted on cancel only where the method opted in. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InterruptOnCancelTest {
  static Tether worker;
  static SleepService sleep;

  @BeforeAll
  static void launch() {
    worker = TestWorkers.launchEcho();
    sleep = worker.get(SleepService.class, "sleep");
  }

  @AfterAll
  static void close() {
    worker.close();
  }

  @Test
  void optedInMethodIsInterruptedAndAcknowledges() throws Exception {
    Thread me = Thread.currentThread();
    int started = sleep.startedCount();
    var canceller = dev.tether.testing.Async.run(() -> {
      awaitStarted(started);
      return Cancellation.cancel(me, Duration.ofSeconds(30));
    });
    try (var e = Cancellation.enable()) {
      sleep.sleepInterruptibly(60_000);
      throw new AssertionError("not interrupted");
    } catch (CallCancelledException e) {
      assertThat(e.acknowledged()).isTrue();
    }
    assertThat(canceller.get(30, TimeUnit.SECONDS)).isEqualTo(CancelResult.ACKNOWLEDGED);
  }

  @Test
  void methodThatDidNotOptInIsNotInterrupted() throws Exception {
    Thread me = Thread.currentThread();
    int started = sleep.startedCount();
    var canceller = dev.tether.testing.Async.run(() -> {
      awaitStarted(started);
      return Cancellation.cancel(me, Duration.ofMillis(300));
    });
    try (var e = Cancellation.enable()) {
      sleep.sleepPlain(5_000);
      throw new AssertionError("not cancelled");
    } catch (CallCancelledException e) {
      assertThat(e.forced()).isTrue(); // the sleep went on; the grace ran out
    }
    assertThat(canceller.get(30, TimeUnit.SECONDS)).isEqualTo(CancelResult.FORCED);
  }

  /** Waits until the worker has begun another sleep (polls it: nothing local to wait on). */
  static void awaitStarted(int before) throws InterruptedException {
    Await.until(() -> sleep.startedCount() != before, "the sleep to start");
  }
}
