package dev.tether.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.CallRefusedException;
import dev.tether.CallVerdict;
import dev.tether.CancelScope;
import dev.tether.ConcurrencyLimit;
import dev.tether.ErrorCode;
import dev.tether.RetryPolicy;
import dev.tether.ServerBusyException;
import dev.tether.Tether;
import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import dev.tether.WorkerServerSetup;
import dev.tether.WorkerSpec;
import dev.tether.WorkerStartException;
import dev.tether.fixtures.EchoService;
import dev.tether.fixtures.SleepService;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A launched worker configures its own server through a {@link WorkerServerSetup}: the filter and
 * the concurrency limit it sets act on calls, and a setup that fails stops the launch with its
 * reason.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkerServerSetupTest {

  /** Rejects {@code echoString} and lets one call run at a time. */
  public static final class OneAtATimeNoStrings implements WorkerServerSetup {
    @Override
    public void configure(TetherServer.Builder server) {
      server.concurrencyLimit(ConcurrencyLimit.fixed(1))
          .incomingCallFilter(call -> call.method().getName().equals("echoString")
              ? CallVerdict.reject("strings are not served here") : CallVerdict.accept());
    }
  }

  /** Fails, as a setup that finds its environment wrong would. */
  public static final class Failing implements WorkerServerSetup {
    @Override
    public void configure(TetherServer.Builder server) {
      throw new IllegalStateException("no licence for the converter");
    }
  }

  /** Not creatable in the worker: no public no-argument constructor. */
  public static final class NeedsArguments implements WorkerServerSetup {
    public NeedsArguments(String ignored) {}

    @Override
    public void configure(TetherServer.Builder server) {}
  }

  @Test
  void theSetupsFilterAndConcurrencyLimitActOnTheWorkersCalls() throws Exception {
    WorkerSpec spec = TestWorkers.echoSpec().serverSetup(OneAtATimeNoStrings.class)
        .options(TetherOptions.defaults().withRetryPolicy(RetryPolicy.none())).build();
    try (Tether worker = Tether.launch(spec)) {
      EchoService echo = worker.get(EchoService.class, "echo");
      SleepService sleep = worker.get(SleepService.class, "sleep");
      assertThat(echo.echo(7)).isEqualTo(7);
      assertThatThrownBy(() -> echo.echoString("x"))
          .isInstanceOfSatisfying(CallRefusedException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.REJECTED))
          .hasMessageContaining("strings are not served here");

      AtomicReference<CancelScope> sleeperScope = new AtomicReference<>();
      CountDownLatch scopeOpen = new CountDownLatch(1);
      CompletableFuture<Throwable> sleeper = CompletableFuture.supplyAsync(() -> {
        try (CancelScope scope = CancelScope.withTimeout(Duration.ofSeconds(60))) {
          sleeperScope.set(scope);
          scopeOpen.countDown();
          sleep.sleepInterruptibly(60_000);
          return null;
        } catch (Throwable t) {
          return t;
        }
      }, r -> Thread.ofPlatform().daemon().start(r));
      assertThat(scopeOpen.await(10, TimeUnit.SECONDS)).isTrue();
      // with the one allowed call taken by the sleeper, the next call is refused as busy
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      Throwable refused = null;
      while (refused == null && System.nanoTime() < until) {
        try {
          echo.echo(1);
        } catch (ServerBusyException e) {
          refused = e;
        }
      }
      assertThat(refused).as("a call beyond the worker's limit of 1").isNotNull();
      sleeperScope.get().cancel();
      assertThat(sleeper.get(30, TimeUnit.SECONDS)).isNotNull();
      assertThat(echo.echo(9)).isEqualTo(9);
    }
  }

  @Test
  void aSetupThatThrowsFailsTheLaunchWithItsReason() {
    WorkerSpec spec = TestWorkers.echoSpec().serverSetup(Failing.class)
        .supervision(dev.tether.SupervisionPolicy.none()).build();
    assertThatThrownBy(() -> Tether.launch(spec).close())
        .isInstanceOf(WorkerStartException.class)
        .hasMessageContaining("no licence for the converter");
  }

  @Test
  void aSetupClassTheWorkerCannotCreateIsRefusedByTheSpec() {
    assertThatThrownBy(() -> TestWorkers.echoSpec().serverSetup(NeedsArguments.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("public no-argument constructor");
  }

  @Test
  void aSetupNamedOnlyByClassIsCheckedByTheWorker() {
    WorkerSpec spec = TestWorkers.echoSpec().serverSetup("com.example.NoSuchSetup")
        .supervision(dev.tether.SupervisionPolicy.none()).build();
    assertThatThrownBy(() -> Tether.launch(spec).close())
        .isInstanceOf(WorkerStartException.class)
        .hasMessageContaining("com.example.NoSuchSetup");
  }
}
