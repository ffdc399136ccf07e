package dev.tether.scope;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.CancelScope;
import dev.tether.Cancellation;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** What a scope's deadline reads as, without any server. */
class DeadlineValueTest {

  @Test
  void theDeadlineReadsTheSameEveryTime() {
    try (CancelScope scope = CancelScope.withTimeout(Duration.ofSeconds(30))) {
      Instant first = Cancellation.deadline().orElseThrow();
      LockSupport.parkNanos(1_000_000); // time passes between the reads
      assertThat(Cancellation.deadline()).contains(first);
      assertThat(scope.deadline()).contains(first);
    }
  }

  @Test
  void aScopeOpenedAtAnInstantReportsExactlyThatInstant() {
    Instant at = Instant.now().plusSeconds(30).truncatedTo(ChronoUnit.MILLIS).plusNanos(123);
    try (CancelScope scope = CancelScope.withDeadline(at)) {
      assertThat(scope.deadline()).contains(at);
      assertThat(Cancellation.deadline()).contains(at);
    }
  }

  @Test
  void aTimeoutTooLargeToRepresentIsNoReasonToFail() {
    try (CancelScope scope = CancelScope.withTimeout(ChronoUnit.FOREVER.getDuration())) {
      assertThat(scope.isCancelled()).isFalse();
      scope.deadline().ifPresent(d -> assertThat(d).isAfter(Instant.now()));
    }
    try (CancelScope scope = CancelScope.withDeadline(Instant.MAX)) {
      assertThat(scope.isCancelled()).isFalse();
    }
  }
}
