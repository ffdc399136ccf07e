package dev.tether.internal.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.testing.FakeClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The draining debt: allowance, rate, cap, and how long a hold lasts. */
class DrainingDebtTest {
  private final FakeClock clock = new FakeClock();
  private final DrainingDebt debt = new DrainingDebt(50, 50, Duration.ofSeconds(4).toNanos(), clock);

  @Test
  void withinTheAllowanceNobodyWaits() {
    debt.add(50);
    assertThat(debt.withinAllowance()).isTrue();
    assertThat(debt.nanosUntilWithinAllowance()).isZero();
    assertThat(debt.debt()).isEqualTo(50);
  }

  @Test
  void beyondTheAllowanceTheHoldIsWhatMustDrainFirst() {
    debt.add(60); // 10 beyond the allowance: 10 / 50 per second = 200 ms
    assertThat(debt.withinAllowance()).isFalse();
    assertThat(debt.nanosUntilWithinAllowance()).isEqualTo(Duration.ofMillis(200).toNanos());
    clock.advance(Duration.ofMillis(150));
    assertThat(debt.nanosUntilWithinAllowance()).isEqualTo(Duration.ofMillis(50).toNanos());
    clock.advance(Duration.ofMillis(50));
    assertThat(debt.withinAllowance()).isTrue();
    assertThat(debt.debt()).isEqualTo(50);
  }

  @Test
  void aFloodIsCappedSoTheHoldEndsAtMostTheCapAfterItStops() {
    for (int i = 0; i < 100_000; i++) {
      debt.add(1);
    }
    assertThat(debt.nanosUntilWithinAllowance()).isEqualTo(Duration.ofSeconds(4).toNanos());
    clock.advance(Duration.ofSeconds(4));
    assertThat(debt.withinAllowance()).isTrue();
  }

  @Test
  void badSettingsAreRefused() {
    assertThatThrownBy(() -> new DrainingDebt(-1, 1, 0, clock))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DrainingDebt(1, 0, 0, clock))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DrainingDebt(1, 1, -1, clock))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
