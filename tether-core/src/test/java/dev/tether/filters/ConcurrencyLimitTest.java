package dev.tether.filters;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ConcurrencyLimit;
import dev.tether.ErrorCode;
import dev.tether.RetryPolicy;
import dev.tether.ServerBusyException;
import dev.tether.Tether;
import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import dev.tether.fixtures.GateService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The built-in concurrency limit: 200 concurrent callers against a server limited to 8 calls in
 * flight; the method never sees more than 8 at once, and every call ends (served, or refused as
 * busy once its retries are spent).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConcurrencyLimitTest {

  @Test
  void twoHundredCallersAgainstALimitOfEightNeverExceedEightAndEveryCallEnds() throws Exception {
    GateService.Impl impl = new GateService.Impl();
    TetherServer server = TetherServer.builder().export("gate", GateService.class, impl)
        .concurrencyLimit(ConcurrencyLimit.fixed(8)).start();
    RetryPolicy policy = RetryPolicy.defaults().withMaxAttempts(6)
        .withBackoff(Duration.ofMillis(2), Duration.ofMillis(50), 2);
    AtomicInteger served = new AtomicInteger();
    AtomicInteger busy = new AtomicInteger();
    List<Throwable> other = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (Tether client = Tether.connect(server.address(),
        TetherOptions.defaults().withRetryPolicy(policy))) {
      GateService gate = client.get(GateService.class, "gate");
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> calls = new ArrayList<>();
      try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < 200; i++) {
          calls.add(threads.submit(() -> {
            go.await();
            try {
              assertThat(gate.work(5)).isEqualTo(5);
              served.incrementAndGet();
            } catch (ServerBusyException e) {
              assertThat(e.code()).isEqualTo(ErrorCode.SERVER_BUSY);
              assertThat(e.getMessage()).contains("concurrency limit is 8");
              busy.incrementAndGet();
            } catch (Throwable t) {
              other.add(t);
            }
            return null;
          }));
        }
        go.countDown();
        for (Future<?> f : calls) {
          f.get(60, TimeUnit.SECONDS);
        }
      }
    } finally {
      server.close();
    }
    assertThat(other).isEmpty();
    assertThat(served.get() + busy.get()).as("every call ended").isEqualTo(200);
    assertThat(served.get()).as("the limit serves, not only refuses").isPositive();
    assertThat(impl.executed).as("refused calls never ran").hasValue(served.get());
    assertThat(impl.maxInFlight.get()).isBetween(1, 8);
  }

  @Test
  void anAdaptiveLimitStillServesEveryCallOfAModestLoad() throws Exception {
    GateService.Impl impl = new GateService.Impl();
    TetherServer server = TetherServer.builder().export("gate", GateService.class, impl)
        .concurrencyLimit(ConcurrencyLimit.adaptive(8, 2, 64)).start();
    try (Tether client = Tether.connect(server.address())) {
      GateService gate = client.get(GateService.class, "gate");
      for (int i = 0; i < 50; i++) {
        assertThat(gate.work(1)).isEqualTo(1);
      }
    } finally {
      server.close();
    }
    assertThat(impl.executed).hasValue(50);
  }
}
