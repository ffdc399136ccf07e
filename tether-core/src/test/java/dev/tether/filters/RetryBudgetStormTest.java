package dev.tether.filters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tether.CallVerdict;
import dev.tether.RetryPolicy;
import dev.tether.ServerBusyException;
import dev.tether.Tether;
import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import dev.tether.fixtures.GateService;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The retry budget stops a retry storm against a server that is always busy. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RetryBudgetStormTest {

  @Test
  void theBudgetKeepsRetriesToItsShareOfCalls() {
    GateService.Impl impl = new GateService.Impl();
    AtomicInteger attempts = new AtomicInteger();
    TetherServer server = TetherServer.builder().export("gate", GateService.class, impl)
        .incomingCallFilter(call -> {
          attempts.incrementAndGet();
          return CallVerdict.busy("always busy");
        }).start();
    RetryPolicy policy = RetryPolicy.defaults().withMaxAttempts(10)
        .withBackoff(Duration.ZERO, Duration.ZERO, 1).withBudget(0.1, 0);
    Map<ServerBusyException.StopReason, Integer> why =
        new EnumMap<>(ServerBusyException.StopReason.class);
    int calls = 200;
    try (Tether client = Tether.connect(server.address(),
        TetherOptions.defaults().withRetryPolicy(policy))) {
      GateService gate = client.get(GateService.class, "gate");
      for (int i = 0; i < calls; i++) {
        ServerBusyException e = catchThrowableOfType(ServerBusyException.class,
            () -> gate.work(1));
        why.merge(e.stoppedBecause(), 1, Integer::sum);
      }
    } finally {
      server.close();
    }
    assertThat(impl.executed).hasValue(0);
    assertThat(attempts.get()).as("without a budget: %d attempts", calls * 10)
        .isBetween(calls, calls + calls / 10);
    assertThat(why.get(ServerBusyException.StopReason.BUDGET)).isGreaterThan(calls * 8 / 10);
  }
}
