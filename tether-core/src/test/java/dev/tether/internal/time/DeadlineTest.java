package dev.tether.internal.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/** The deadline value, on a fake clock that starts near the end of the {@code long} range. */
class DeadlineTest {
  final FakeClock clock = new FakeClock();

  @Test
  void expiresExactlyWhenItsTimeHasPassed() {
    Deadline d = Deadline.after(Duration.ofMillis(500), clock);
    assertThat(d.isExpired()).isFalse();
    assertThat(d.remainingNanos()).isEqualTo(Duration.ofMillis(500).toNanos());
    clock.advance(Duration.ofMillis(499));
    assertThat(d.isExpired()).isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(d.isExpired()).isTrue();
    assertThat(d.remainingNanos()).isZero();
    clock.advance(Duration.ofMillis(2));
    assertThat(d.remainingNanos()).isEqualTo(-Duration.ofMillis(2).toNanos());
  }

  @Test
  void hugeTimeoutsAreClampedInsteadOfOverflowing() {
    // the clock reads close to Long.MAX_VALUE: a naive now + timeout would wrap into the past
    Deadline forever = Deadline.after(ChronoUnit.FOREVER.getDuration(), clock);
    Deadline maxNanos = Deadline.after(Long.MAX_VALUE, clock);
    Deadline past = Deadline.after(Long.MIN_VALUE, clock);
    assertThat(forever.isExpired()).isFalse();
    assertThat(maxNanos.isExpired()).isFalse();
    assertThat(forever.remainingNanos()).isEqualTo(Deadline.MAX_OFFSET_NANOS);
    assertThat(past.isExpired()).isTrue();
    assertThat(past.isBefore(forever)).isTrue();
    assertThat(Deadline.after(1, clock).isBefore(forever)).isTrue();
  }

  @Test
  void theInstantIsStableAcrossReads() {
    Deadline d = Deadline.after(Duration.ofSeconds(3), clock);
    Instant first = d.toInstant();
    clock.advance(Duration.ofMillis(1234));
    assertThat(d.toInstant()).isEqualTo(first).isEqualTo(Instant.parse("2026-01-01T00:00:03Z"));
  }

  @Test
  void aDeadlineAtAnInstantKeepsThatInstantAndMeasuresOnTheMonotonicClock() {
    Instant at = Instant.parse("2026-01-01T00:00:02.5Z");
    Deadline d = Deadline.at(at, clock);
    assertThat(d.toInstant()).isSameAs(at);
    assertThat(d.remainingNanos()).isEqualTo(Duration.ofMillis(2500).toNanos());
    assertThat(Deadline.at(Instant.MAX, clock).isExpired()).isFalse();
    assertThat(Deadline.at(Instant.MIN, clock).isExpired()).isTrue();
  }

  @Test
  void earlierOfTreatsNullAsNone() {
    Deadline a = Deadline.after(Duration.ofSeconds(1), clock);
    Deadline b = Deadline.after(Duration.ofSeconds(2), clock);
    assertThat(Deadline.earlierOf(a, b)).isSameAs(a);
    assertThat(Deadline.earlierOf(b, a)).isSameAs(a);
    assertThat(Deadline.earlierOf(null, b)).isSameAs(b);
    assertThat(Deadline.earlierOf(a, null)).isSameAs(a);
    assertThat(Deadline.earlierOf(null, null)).isNull();
  }

  @Test
  void deadlinesOnDifferentClocksDoNotCompare() {
    Deadline a = Deadline.after(1, clock);
    Deadline b = Deadline.after(1, Clock.system());
    assertThatThrownBy(() -> a.isBefore(b)).isInstanceOf(IllegalArgumentException.class);
  }
}
