package dev.tether.internal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tether.testing.FakeClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The adaptive limit's arithmetic, window by window, on a fake clock. */
class AdaptiveLimiterTest {
  private static final long MS = 1_000_000;
  private final FakeClock clock = new FakeClock();
  private final AdaptiveLimiter limiter = new AdaptiveLimiter(clock, 20, 4, 100, 100 * MS, 10);

  /** One window of 10 samples of {@code latency} with {@code inFlight} calls in flight. */
  private void window(long latency, int inFlight) {
    for (int i = 0; i < 9; i++) {
      limiter.sampled(latency, inFlight);
    }
    clock.advance(Duration.ofMillis(100));
    limiter.sampled(latency, inFlight);
  }

  @Test
  void noWindowEndsBeforeItsTimeAndItsSamples() {
    for (int i = 0; i < 100; i++) {
      limiter.sampled(MS, 20);
    }
    assertThat(limiter.estimate()).as("many samples, no time").isEqualTo(20.0);
    clock.advance(Duration.ofSeconds(1));
    limiter.sampled(MS, 20);
    assertThat(limiter.estimate()).as("time and samples: one update").isGreaterThan(20.0);
  }

  @Test
  void growsBySmoothedSquareRootWhileLatencyStaysNearNoLoad() {
    window(MS, 20);
    // target = 20 * 1 + sqrt(20); limit = 0.8 * 20 + 0.2 * target
    double expected = 0.8 * 20 + 0.2 * (20 + Math.sqrt(20));
    assertThat(limiter.estimate()).isCloseTo(expected, within(1e-9));
    assertThat(limiter.limit()).isEqualTo(20);
    assertThat(limiter.noLoadNanos()).isEqualTo(MS);

    window(MS * 3 / 2, 30); // 1.5x no-load: within the tolerance of 2, still grows
    double next = 0.8 * expected + 0.2 * (expected + Math.sqrt(expected));
    assertThat(limiter.estimate()).isCloseTo(next, within(1e-9));
    assertThat(limiter.noLoadNanos()).as("a stale minimum fades by 1 % a window")
        .isCloseTo(MS * 1.01, within(1e-6));
  }

  @Test
  void shrinksWhenLatencyRisesBeyondTheTolerance() {
    window(MS, 20);
    double before = limiter.estimate();
    window(8 * MS, 20); // queueing: gradient floored at 0.5
    double noLoad = limiter.noLoadNanos();
    double gradient = Math.max(0.5, Math.min(1, 2 * noLoad / (8 * MS)));
    assertThat(gradient).isEqualTo(0.5);
    double expected = 0.8 * before + 0.2 * (before * 0.5 + Math.sqrt(before));
    assertThat(limiter.estimate()).isCloseTo(expected, within(1e-9)).isLessThan(before);
    for (int i = 0; i < 30; i++) {
      window(8 * MS, 20);
    }
    assertThat(limiter.limit()).as("sustained high latency drives it down, not below min")
        .isBetween(4, 7);
    for (int i = 0; i < 200; i++) {
      window(8 * MS, 20);
    }
    assertThat(limiter.noLoadNanos()).as("latency that does not fall with the limit is not"
        + " queueing: the server got slower, and that becomes the new no-load latency")
        .isGreaterThan(4.0 * MS);
    assertThat(limiter.limit()).as("so the limit grows again").isGreaterThan(8);
  }

  @Test
  void doesNotGrowWhileFewCallsAreInFlight() {
    window(MS, 5); // 5 < 20 / 2: no evidence more calls would help
    assertThat(limiter.estimate()).isEqualTo(20.0);
  }

  @Test
  void staysWithinItsBounds() {
    for (int i = 0; i < 500; i++) {
      window(MS, 200);
    }
    assertThat(limiter.limit()).isEqualTo(100);
  }

  @Test
  void permitsFollowTheLimit() {
    Limiter fixed = new Limiter.FixedLimiter(2);
    assertThat(fixed.tryAcquire()).isTrue();
    assertThat(fixed.tryAcquire()).isTrue();
    assertThat(fixed.tryAcquire()).isFalse();
    fixed.release(MS, true);
    assertThat(fixed.inFlight()).isEqualTo(1);
    assertThat(fixed.tryAcquire()).isTrue();
  }
}
