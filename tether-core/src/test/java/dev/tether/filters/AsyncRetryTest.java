package dev.tether.filters;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.CallCancelledException;
import dev.tether.CallVerdict;
import dev.tether.CancelResult;
import dev.tether.CancelScope;
import dev.tether.Cancellation;
import dev.tether.RetryPolicy;
import dev.tether.ServerBusyException;
import dev.tether.Tether;
import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import dev.tether.fixtures.EchoService;
import dev.tether.fixtures.EchoServiceAsync;
import dev.tether.fixtures.EchoServiceImpl;
import dev.tether.testing.Await;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Asynchronous calls retry busy refusals under the handle's {@link RetryPolicy}, like synchronous
 * ones, and a call waiting to retry is cancelled at once, as never sent, through its future,
 * {@code Cancellation.cancel(future, grace)} or its scope; the server sees no further attempt.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AsyncRetryTest {
  private final AtomicInteger attempts = new AtomicInteger();
  private TetherServer server;
  private Tether client;

  /** A server whose filter refuses the first {@code busyFirst} calls as busy. */
  private EchoServiceAsync start(int busyFirst, Duration retryAfter, RetryPolicy policy) {
    server = TetherServer.builder().export("echo", EchoService.class, new EchoServiceImpl())
        .incomingCallFilter(call -> attempts.incrementAndGet() <= busyFirst
            ? CallVerdict.busy("busy", retryAfter) : CallVerdict.accept())
        .start();
    client = Tether.connect(server.address(), TetherOptions.defaults().withRetryPolicy(policy));
    return client.get(EchoServiceAsync.class, "echo");
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static RetryPolicy quick(int attempts) {
    return RetryPolicy.defaults().withMaxAttempts(attempts)
        .withBackoff(Duration.ofMillis(1), Duration.ofMillis(5), 2);
  }

  @Test
  void aBusyAsynchronousCallIsRetriedUntilTheServerTakesIt() throws Exception {
    EchoServiceAsync echo = start(2, Duration.ofMillis(1), quick(5));

    assertThat(echo.echo(7).get(30, TimeUnit.SECONDS)).isEqualTo(7);
    assertThat(attempts).as("two refusals, then the call").hasValue(3);
  }

  @Test
  void aRetryCarriesTheCallersDeadlineLikeTheFirstAttempt() throws Exception {
    EchoServiceAsync echo = start(1, Duration.ofMillis(1), quick(5));
    CompletableFuture<Long> f;
    try (CancelScope scope = CancelScope.withTimeout(Duration.ofSeconds(60))) {
      f = echo.remainingDeadlineMillis(); // refused once, then sent again from another thread
    }

    assertThat(f.get(30, TimeUnit.SECONDS)).as("the deadline the server sees on the retry")
        .isGreaterThan(0);
    assertThat(attempts).hasValue(2);
  }

  @Test
  void retriesStopAtTheMostAttemptsWithTheLastRefusal() throws Exception {
    EchoServiceAsync echo = start(Integer.MAX_VALUE, Duration.ofMillis(1), quick(3));

    CompletableFuture<Integer> f = echo.echo(7);

    Throwable t = catchCause(f);
    assertThat(t).isInstanceOfSatisfying(ServerBusyException.class, e -> {
      assertThat(e.attempts()).isEqualTo(3);
      assertThat(e.stoppedBecause()).isEqualTo(ServerBusyException.StopReason.MAX_ATTEMPTS);
    });
    assertThat(attempts).hasValue(3);
  }

  @Test
  void cancellingTheFutureOfACallWaitingToRetryEndsItAtOnce() throws Exception {
    EchoServiceAsync echo = start(Integer.MAX_VALUE, Duration.ofSeconds(20), quick(5));
    CompletableFuture<Integer> f = echo.echo(7);
    Await.until(() -> attempts.get() == 1, "the first refusal");

    assertThat(f.cancel(true)).isTrue();

    assertThat(f.isCancelled()).isTrue();
    assertThat(attempts).as("no attempt after the cancel").hasValue(1);
  }

  @Test
  void cancellationOfTheFutureWithAGraceSaysNeverSent() throws Exception {
    EchoServiceAsync echo = start(Integer.MAX_VALUE, Duration.ofSeconds(20), quick(5));
    CompletableFuture<Integer> f = echo.echo(7);
    Await.until(() -> attempts.get() == 1, "the first refusal");
    // the refusal is in, but its retry may not be scheduled yet: that is the race under test
    CancelResult r = Cancellation.cancel(f, Duration.ofSeconds(5));

    assertThat(r).isIn(CancelResult.NOT_SENT);
    assertThat(catchCause(f)).isInstanceOfSatisfying(CallCancelledException.class,
        e -> assertThat(e.outcome()).isEqualTo(CallCancelledException.Outcome.NOT_SENT));
    assertThat(attempts).hasValue(1);
  }

  @Test
  void aScopeCancelledWhileWaitingToRetryEndsTheCallAsNeverSent() throws Exception {
    EchoServiceAsync echo = start(Integer.MAX_VALUE, Duration.ofSeconds(20), quick(5));
    CompletableFuture<Integer> f;
    CancelScope scope = CancelScope.open();
    try (scope) {
      f = echo.echo(7);
      Await.until(() -> attempts.get() == 1, "the first refusal");
      scope.cancel("the user gave up");
    }

    assertThat(catchCause(f)).isInstanceOfSatisfying(CallCancelledException.class, e -> {
      assertThat(e.outcome()).isEqualTo(CallCancelledException.Outcome.NOT_SENT);
      assertThat(e.getMessage()).contains("the user gave up");
    });
    assertThat(attempts).hasValue(1);
  }

  /** A server method that makes an asynchronous call and waits for it. */
  public interface Relay {
    /** Calls the echo server asynchronously (it keeps refusing) and waits for that call's end. */
    int relay();
  }

  @Test
  void aCascadedCancelThatEndsTheWaitToRetryNeverRunsTheCallersStagesOnAReader()
      throws Exception {
    EchoServiceAsync echo = start(Integer.MAX_VALUE, Duration.ofSeconds(20), quick(5));
    CompletableFuture<String> stageThread = new CompletableFuture<>();
    Relay impl = () -> {
      CompletableFuture<Integer> f = echo.echo(7); // refused, then waiting 20 s to retry
      f.whenComplete((v, t) -> stageThread.complete(Thread.currentThread().getName()));
      try {
        return f.get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        return -1; // ended by the cascaded cancel, as it should
      }
    };
    try (TetherServer relayServer = TetherServer.builder().export("relay", Relay.class, impl)
            .start();
        Tether relayClient = Tether.connect(relayServer.address())) {
      Relay relay = relayClient.get(Relay.class, "relay");
      CompletableFuture<Void> caller;
      try (CancelScope scope = CancelScope.open()) { // closed on this thread whatever happens
        caller = CompletableFuture.runAsync(scope.wrap(() -> {
          try {
            relay.relay();
          } catch (CallCancelledException expected) {
            // the point of the test is where the nested call's stage ran
          }
        }), r -> Thread.ofPlatform().start(r));
        Await.until(() -> attempts.get() == 1, "the nested call's first refusal");

        scope.cancel("the outer caller gave up"); // the relay server's reader cascades it
      }
      caller.get(30, TimeUnit.SECONDS);

      assertThat(stageThread.get(30, TimeUnit.SECONDS)).as("the thread that ran the stage")
          .doesNotStartWith("tether-server-reader").isNotEqualTo("tether-timer");
    }
    assertThat(attempts).hasValue(1);
  }

  private static Throwable catchCause(CompletableFuture<?> f) throws Exception {
    try {
      f.get(30, TimeUnit.SECONDS);
      throw new AssertionError("completed normally");
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }
}
