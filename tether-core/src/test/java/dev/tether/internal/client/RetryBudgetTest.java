package dev.tether.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.RetryPolicy;
import dev.tether.testing.FakeClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The retry budget's arithmetic, on a fake clock, and the backoff's, with a fixed random. */
class RetryBudgetTest {
  private final FakeClock clock = new FakeClock();

  private static int withdrawAll(RetryBudget b) {
    int n = 0;
    while (b.tryWithdraw()) {
      n++;
    }
    return n;
  }

  @Test
  void retriesAreTheirShareOfCalls() {
    RetryBudget b = new RetryBudget(0.1, 0, clock);
    assertThat(b.tryWithdraw()).as("nothing deposited").isFalse();
    for (int i = 0; i < 25; i++) {
      b.deposit();
    }
    assertThat(withdrawAll(b)).as("10 % of 25 calls").isEqualTo(2);
  }

  @Test
  void depositsAreCappedSoAHealthySpellCannotBankAStorm() {
    RetryBudget b = new RetryBudget(0.5, 0, clock);
    for (int i = 0; i < 10_000; i++) {
      b.deposit();
    }
    assertThat(withdrawAll(b)).isEqualTo((int) RetryBudget.MAX_BALANCE);
  }

  @Test
  void theFloorAllowsSomeRetriesEverySecond() {
    RetryBudget b = new RetryBudget(0.0, 5, clock);
    assertThat(withdrawAll(b)).as("one second's worth at start").isEqualTo(5);
    clock.advance(Duration.ofMillis(400));
    assertThat(withdrawAll(b)).as("5/s for 0.4 s").isEqualTo(2);
    clock.advance(Duration.ofMinutes(10));
    assertThat(withdrawAll(b)).as("never more than a second's worth").isEqualTo(5);
  }

  @Test
  void backoffGrowsExponentiallyUpToItsCapLessTheJitter() {
    RetryPolicy p = RetryPolicy.defaults()
        .withBackoff(Duration.ofMillis(10), Duration.ofMillis(50), 2).withJitter(0.5)
        .withRandom(() -> 0.5);
    assertThat(p.backoffNanos(1)).isEqualTo(Duration.ofMillis(10).toNanos() * 3 / 4);
    assertThat(p.backoffNanos(2)).isEqualTo(Duration.ofMillis(20).toNanos() * 3 / 4);
    assertThat(p.backoffNanos(3)).isEqualTo(Duration.ofMillis(40).toNanos() * 3 / 4);
    assertThat(p.backoffNanos(4)).as("capped").isEqualTo(Duration.ofMillis(50).toNanos() * 3 / 4);
    assertThat(p.withRandom(() -> 0.0).backoffNanos(1)).isEqualTo(Duration.ofMillis(10).toNanos());
  }
}
