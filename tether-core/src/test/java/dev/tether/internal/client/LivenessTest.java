package dev.tether.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.internal.client.Liveness.Verdict;
import org.junit.jupiter.api.Test;

/** Liveness decisions on a fake clock (milliseconds turned into nanoseconds). */
class LivenessTest {
  static final long MS = 1_000_000L;
  final Liveness liveness = new Liveness(1000 * MS, 3000 * MS, 0);

  /** Ticks every {@code step} ms from {@code from} to {@code to}; returns the first non-NOTHING. */
  Verdict tickUntil(long from, long to, long step, boolean pending) {
    for (long t = from; t <= to; t += step) {
      Verdict v = liveness.tick(t * MS, pending);
      if (v != Verdict.NOTHING) {
        return v;
      }
    }
    return Verdict.NOTHING;
  }

  @Test
  void idleSpellFollowedByALongCallIsNotAFailure() {
    // idle for 17 s: nothing pending, nothing heard
    assertThat(tickUntil(0, 17_000, 250, false)).isEqualTo(Verdict.NOTHING);
    // a 7 s call starts: the first tick pings, it does not declare the peer dead
    assertThat(liveness.tick(17_250 * MS, true)).isEqualTo(Verdict.SEND_PING);
    liveness.pong(liveness.pingValue());
    liveness.heard(17_260 * MS);
    // the peer answers every ping during the call
    for (long t = 17_500; t < 24_250; t += 250) {
      Verdict v = liveness.tick(t * MS, true);
      if (v == Verdict.SEND_PING) {
        liveness.pong(liveness.pingValue());
        liveness.heard(t * MS + 5 * MS);
      }
      assertThat(v).isNotEqualTo(Verdict.DEAD);
    }
  }

  @Test
  void silencePingsAfterTheIntervalAndDeclaresDeathOnlyAfterTheTimeout() {
    liveness.heard(0);
    assertThat(tickUntil(250, 750, 250, true)).isEqualTo(Verdict.NOTHING);
    assertThat(liveness.tick(1000 * MS, true)).isEqualTo(Verdict.SEND_PING);
    assertThat(tickUntil(1250, 3750, 250, true)).isEqualTo(Verdict.NOTHING);
    assertThat(liveness.tick(4000 * MS, true)).isEqualTo(Verdict.DEAD);
    assertThat(liveness.unansweredMillis(4000 * MS)).isEqualTo(3000);
  }

  @Test
  void framesOtherThanThePongDoNotAnswerAnOutstandingPing() {
    assertThat(liveness.tick(1000 * MS, true)).isEqualTo(Verdict.SEND_PING);
    liveness.heard(1500 * MS); // an answer that was already on its way
    liveness.pong(liveness.pingValue() + 1); // not ours
    assertThat(liveness.tick(4000 * MS, true)).isEqualTo(Verdict.DEAD);
  }

  @Test
  void anAnsweredPingStartsANewIntervalOfSilence() {
    assertThat(liveness.tick(1000 * MS, true)).isEqualTo(Verdict.SEND_PING);
    liveness.pong(liveness.pingValue());
    liveness.heard(1010 * MS);
    assertThat(liveness.tick(1500 * MS, true)).isEqualTo(Verdict.NOTHING);
    assertThat(liveness.tick(2010 * MS, true)).isEqualTo(Verdict.SEND_PING);
  }

  @Test
  void busyConnectionNeverPings() {
    for (long t = 250; t < 20_000; t += 250) {
      liveness.heard(t * MS - 100 * MS);
      assertThat(liveness.tick(t * MS, true)).isEqualTo(Verdict.NOTHING);
    }
  }

  @Test
  void tickIsAQuarterOfTheShorterBoundWithinLimits() {
    assertThat(liveness.tickNanos()).isEqualTo(250 * MS);
    assertThat(new Liveness(10 * MS, 10 * MS, 0).tickNanos()).isEqualTo(10 * MS);
    assertThat(new Liveness(60_000 * MS, 60_000 * MS, 0).tickNanos()).isEqualTo(1000 * MS);
  }
}
