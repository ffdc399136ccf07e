package dev.tether.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.testing.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthFailuresTest {
  private final FakeClock clock = new FakeClock();
  private final List<String> lines = new ArrayList<>();
  private final AuthFailures failures = new AuthFailures(clock, lines::add);

  @Test
  void everyRefusalCountsButAFloodLogsOneLinePerPeriodWithHowManyMore() {
    for (int i = 0; i < 1000; i++) {
      failures.refused("peer " + i + ": wrong proof");
    }
    assertThat(failures.count()).isEqualTo(1000);
    assertThat(lines).containsExactly("refused an unauthenticated peer: peer 0: wrong proof");

    clock.advance(Duration.ofNanos(AuthFailures.LOG_EVERY_NANOS));
    failures.refused("peer x: unknown key id");
    assertThat(lines).hasSize(2);
    assertThat(lines.get(1)).contains("peer x").contains("and 999 more");
  }
}
