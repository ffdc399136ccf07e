package dev.tether.internal.supervise;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The restart intensity and backoff on a fake clock. */
class RestartIntensityTest {
  static final long MS = 1_000_000L;
  long now;
  final RestartIntensity intensity = new RestartIntensity(3, 10_000 * MS, 100 * MS, 1000 * MS,
      () -> now, new Random(42));

  @Test
  void allowsAtMostMaxRestartsWithinThePeriod() {
    assertThat(intensity.tryRestart()).isNotNegative();
    now += 1000 * MS;
    assertThat(intensity.tryRestart()).isNotNegative();
    now += 1000 * MS;
    assertThat(intensity.tryRestart()).isNotNegative();
    now += 1000 * MS;
    assertThat(intensity.tryRestart()).isNegative();
    assertThat(intensity.recent()).isEqualTo(3);
  }

  @Test
  void restartsOlderThanThePeriodNoLongerCount() {
    for (int i = 0; i < 3; i++) {
      assertThat(intensity.tryRestart()).isNotNegative();
    }
    now += 10_000 * MS;
    assertThat(intensity.tryRestart()).isNotNegative();
    assertThat(intensity.recent()).isEqualTo(1);
  }

  @Test
  void backoffDoublesWithRecentRestartsWithinHalfToAllOfTheStepAndIsCapped() {
    RestartIntensity many = new RestartIntensity(10, 60_000 * MS, 100 * MS, 1000 * MS,
        () -> now, new Random(7));
    long[] expectedCeiling = {100, 200, 400, 800, 1000, 1000};
    for (long ceiling : expectedCeiling) {
      long d = many.tryRestart();
      assertThat(d).isBetween(ceiling * MS / 2, ceiling * MS);
    }
  }

  @Test
  void zeroMaxRestartsNeverRestarts() {
    RestartIntensity none = new RestartIntensity(0, 1000 * MS, 0, 0, () -> now, new Random());
    assertThat(none.tryRestart()).isNegative();
  }
}
