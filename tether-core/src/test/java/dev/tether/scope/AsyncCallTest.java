package dev.tether.scope;

import dev.tether.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.CallCancelledException;
import dev.tether.CancelResult;
import dev.tether.CancelScope;
import dev.tether.Cancellation;
import dev.tether.DeadlineExceededException;
import dev.tether.Tether;
import dev.tether.e2e.TestWorkers;
import dev.tether.fixtures.EchoService;
import dev.tether.fixtures.EchoServiceAsync;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Methods returning CompletableFuture: sent without blocking, cancelled like synchronous calls. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AsyncCallTest {
  static Tether worker;
  static EchoService echo;
  static EchoServiceAsync async;

  @BeforeAll
  static void launch() {
    worker = TestWorkers.launchEcho();
    echo = worker.get(EchoService.class, "echo");
    async = worker.get(EchoServiceAsync.class, "echo");
  }

  @AfterAll
  static void close() {
    worker.close();
  }

  @AfterEach
  void nothingLeftPending() throws Exception {
    Await.until(() -> worker.pendingCalls() == 0, "no call pending");
  }

  @Test
  void asynchronousCallCompletesWithTheResultWithoutBlockingTheCaller() throws Exception {
    CompletableFuture<Integer> f = async.spinThenReturn(7, 1000);
    assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(7);
    assertThat(async.echo(3).thenApply(x -> x * 2).get(30, TimeUnit.SECONDS)).isEqualTo(6);
  }

  @Test
  void serverMethodReturningAFutureAnswersWhenItCompletes() throws Exception {
    assertThat(echo.echoAsync(41).get(30, TimeUnit.SECONDS)).isEqualTo(41);
  }

  @Test
  void futureCancelledBeforeTheServerStartsNeverRunsIt() throws Exception {
    int started = echo.startedCount();
    CompletableFuture<Integer> f;
    try (CancelScope scope = CancelScope.open()) {
      scope.cancel("too late");
      f = async.awaitCancel(60_000);
    }
    assertThat(f).isCompletedExceptionally();
    assertThatCause(f).isInstanceOfSatisfying(CallCancelledException.class,
        e -> assertThat(e.outcome()).isEqualTo(CallCancelledException.Outcome.NOT_SENT));
    CompletableFuture<Integer> g = async.awaitCancel(60_000);
    assertThat(g.cancel(true)).isTrue();
    assertThat(g).isCancelled();
    assertThat(echo.echo(1)).isEqualTo(1);
    assertThat(echo.startedCount() - started).isLessThanOrEqualTo(1); // g may have started
  }

  @Test
  void futureCancelAfterTheServerStartedReleasesAtOnceAndTellsTheServer() throws Exception {
    int started = echo.startedCount();
    CompletableFuture<Integer> f = async.awaitCancel(60_000);
    awaitStarted(started);
    assertThat(f.cancel(true)).isTrue();
    assertThatThrownCancellation(f);
    Await.until(() -> echo.lastCancelSeenNanos() != 0, "the worker to see the cancel");
  }

  @Test
  void cancellationCancelOfAFutureGivesTheSameOutcomesAsASynchronousCall() throws Exception {
    int started = echo.startedCount();
    CompletableFuture<Integer> cooperative = async.awaitCancel(60_000);
    awaitStarted(started);
    assertThat(Cancellation.cancel(cooperative, Duration.ofSeconds(30)))
        .isEqualTo(CancelResult.ACKNOWLEDGED);
    assertThatCause(cooperative).isInstanceOfSatisfying(CallCancelledException.class,
        e -> assertThat(e.acknowledged()).isTrue());

    started = echo.startedCount();
    CompletableFuture<String> stubborn = async.sleep(20_000);
    awaitStarted(started);
    assertThat(Cancellation.cancel(stubborn, Duration.ofMillis(100))).isEqualTo(CancelResult.FORCED);
    assertThatCause(stubborn).isInstanceOfSatisfying(CallCancelledException.class,
        e -> assertThat(e.forced()).isTrue());

    assertThat(Cancellation.cancel(stubborn, Duration.ZERO)).isEqualTo(CancelResult.ALREADY_COMPLETE);
  }

  @Test
  void scopesAndDeadlinesApplyToAsynchronousCalls() throws Exception {
    CompletableFuture<Integer> f;
    try (CancelScope s = CancelScope.builder().timeout(Duration.ofMillis(200))
        .grace(Duration.ofSeconds(30)).open()) {
      f = async.awaitCancel(60_000);
    }
    assertThatCause(f).isInstanceOfSatisfying(DeadlineExceededException.class,
        e -> assertThat(e.acknowledged()).isTrue());

    CompletableFuture<String> g;
    CancelScope scope = CancelScope.builder().grace(Duration.ZERO).open();
    try {
      g = async.sleep(20_000);
    } finally {
      scope.close();
    }
    scope.cancel("closed and then cancelled"); // reaches calls made inside after close
    assertThatCause(g).isInstanceOfSatisfying(CallCancelledException.class,
        e -> assertThat(e.reason()).isEqualTo("closed and then cancelled"));
  }

  static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertThatCause(
      CompletableFuture<?> f) throws InterruptedException {
    try {
      f.get(30, TimeUnit.SECONDS);
      throw new AssertionError("completed normally");
    } catch (ExecutionException e) {
      return assertThat(e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("not completed within 30 s", e);
    }
  }

  static void assertThatThrownCancellation(CompletableFuture<?> f) {
    try {
      f.get(30, TimeUnit.SECONDS);
      throw new AssertionError("completed normally");
    } catch (CancellationException expected) {
      // cancelled through the future itself
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static void awaitStarted(int before) throws InterruptedException {
    Await.until(() -> echo.startedCount() > before, "the worker to start the call");
  }
}
