package dev.tether.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.CallCanceller;
import dev.tether.CancelResult;
import dev.tether.PendingCallInfo;
import dev.tether.PendingCallWatch;
import dev.tether.testing.FakeClock;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Pending-call listener timing on a fake clock, with listener threads the test runs by hand: the
 * first call after the threshold, then at the interval; none started after the call ended; a tick
 * skipped while the previous invocation runs; a listener that throws keeps being called.
 */
class PendingWatcherTest {
  private final FakeClock clock = new FakeClock();
  private final Queue<Runnable> threads = new ArrayDeque<>();
  private final Executor manual = threads::add;
  private final AtomicInteger calls = new AtomicInteger();

  private final PendingCallInfo info = new PendingCallInfo() {
    @Override
    public Class<?> iface() {
      return Runnable.class;
    }

    @Override
    public Method method() {
      return Runnable.class.getMethods()[0];
    }

    @Override
    public Duration elapsed() {
      return Duration.ZERO;
    }

    @Override
    public int attempts() {
      return 1;
    }

    @Override
    public CallCanceller canceller() {
      return new CallCanceller() {
        @Override
        public CancelResult cancel(Duration grace) {
          return CancelResult.ALREADY_COMPLETE;
        }

        @Override
        public boolean isCancelled() {
          return false;
        }
      };
    }
  };

  private PendingWatcher watch(Duration first, Duration interval) {
    return PendingWatcher.start(clock, manual, List.of(new PendingCallWatch(first, interval,
        call -> calls.incrementAndGet())), info);
  }

  private void runListenerThreads() {
    Runnable r;
    while ((r = threads.poll()) != null) {
      r.run();
    }
  }

  @Test
  void calledAfterTheThresholdThenAtTheInterval() {
    watch(Duration.ofMillis(500), Duration.ofMillis(200));

    clock.advance(Duration.ofMillis(499));
    runListenerThreads();
    assertThat(calls).as("not before 500 ms").hasValue(0);

    clock.advance(Duration.ofMillis(1));
    runListenerThreads();
    assertThat(calls).as("at 500 ms").hasValue(1);

    clock.advance(Duration.ofMillis(199));
    runListenerThreads();
    assertThat(calls).hasValue(1);
    clock.advance(Duration.ofMillis(1));
    runListenerThreads();
    assertThat(calls).as("at 700 ms").hasValue(2);

    clock.advance(Duration.ofMillis(400));
    runListenerThreads();
    assertThat(calls).as("at 900 and 1100 ms").hasValue(3);
  }

  @Test
  void neverStartedOnceTheCallEnded() {
    PendingWatcher w = watch(Duration.ofMillis(100), Duration.ofMillis(100));
    clock.advance(Duration.ofMillis(100));
    assertThat(threads).as("an invocation is handed to a listener thread").hasSize(1);

    w.stop(); // the call ends before that thread gets to run
    runListenerThreads();

    assertThat(calls).as("the listener must not run for an ended call").hasValue(0);
    assertThat(clock.pendingTimers()).as("no timer left").isZero();
    clock.advance(Duration.ofSeconds(10));
    assertThat(threads).isEmpty();
  }

  @Test
  void aTickWhileTheListenerStillRunsIsSkipped() {
    PendingWatcher w = watch(Duration.ofMillis(100), Duration.ofMillis(100));
    clock.advance(Duration.ofMillis(100));
    Runnable slow = threads.poll(); // still "running": not run yet

    clock.advance(Duration.ofMillis(300));

    assertThat(threads).as("no second invocation while the first runs").isEmpty();
    assertThat(w.skippedTicks()).isEqualTo(3);
    slow.run();
    clock.advance(Duration.ofMillis(100));
    runListenerThreads();
    assertThat(calls).as("called again once the first returned").hasValue(2);
    w.stop();
  }

  @Test
  void aListenerThatThrowsIsCalledAgainAtTheNextTick() {
    PendingWatcher.start(clock, manual, List.of(PendingCallWatch.after(Duration.ofMillis(10),
        call -> {
          calls.incrementAndGet();
          throw new IllegalStateException("listener bug");
        })), info);
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofMillis(10));
      runListenerThreads();
    }
    assertThat(calls).hasValue(3);
  }
}
