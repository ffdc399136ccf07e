package dev.tether.cancel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.CallCancelledException;
import dev.tether.CallCanceller;
import dev.tether.CancelResult;
import dev.tether.CancelScope;
import dev.tether.Cancellation;
import dev.tether.DeadlineExceededException;
import dev.tether.Tether;
import dev.tether.TetherServer;
import dev.tether.fixtures.EchoService;
import dev.tether.fixtures.EchoServiceImpl;
import dev.tether.fixtures.FixtureException;
import dev.tether.testing.Async;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cancel objects and the per-call helpers, against an in-process server: what users can do with
 * the objects Tether hands them, and what the helpers promise.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CancelObjectTest {
  TetherServer server;
  Tether client;
  EchoService echo;

  @BeforeEach
  void start() {
    server = TetherServer.builder().export("echo", EchoService.class, new EchoServiceImpl())
        .listen("mem:" + UUID.randomUUID()).start();
    client = Tether.connect(server.address());
    echo = client.get(EchoService.class, "echo");
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void aUserHoldingTheCancelObjectsMonitorDoesNotBlockItsCancellation() throws Exception {
    PendingCaller c = PendingCaller.start(() -> echo.awaitCancel(60_000));
    CallCanceller canceller = Cancellation.pendingCall(c.thread).orElseThrow();
    CompletableFuture<CancelResult> result;
    synchronized (canceller) { // user code may lock what it is given; Tether must not care
      result = Async.run(() -> canceller.cancel(Duration.ofSeconds(30)));
      assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(CancelResult.ACKNOWLEDGED);
    }
    assertThat(c.await()).isInstanceOfSatisfying(CallCancelledException.class,
        e -> assertThat(e.acknowledged()).isTrue());
  }

  @Test
  void callWithTimeoutLetsADeclaredCheckedExceptionThroughAsItself() {
    assertThatThrownBy(() -> callThatThrowsChecked("boom"))
        .isExactlyInstanceOf(FixtureException.class).hasMessage("boom");
    // a body that throws nothing checked needs no try/catch: the compiler infers RuntimeException
    int x = CancelScope.callWithTimeout(Duration.ofSeconds(30), () -> echo.echo(7));
    assertThat(x).isEqualTo(7);
    assertThatThrownBy(() -> CancelScope.callWithTimeout(Duration.ofMillis(100),
        () -> echo.awaitCancel(60_000))).isInstanceOf(DeadlineExceededException.class);
  }

  /** Compiles only because callWithTimeout throws exactly what its body throws. */
  private Void callThatThrowsChecked(String message) throws FixtureException {
    return CancelScope.callWithTimeout(Duration.ofSeconds(30), () -> {
      echo.throwChecked(message);
      return null;
    });
  }

  @Test
  void cancellingAFutureThatIsNotTethersCancelsItLocallyAndSaysSo() throws Exception {
    CompletableFuture<String> pending = new CompletableFuture<>();
    assertThat(Cancellation.cancel(pending, Duration.ofSeconds(30))).isEqualTo(CancelResult.FORCED);
    assertThat(pending.isCancelled()).isTrue();
    assertThat(Cancellation.cancel(pending, Duration.ofSeconds(30)))
        .as("a second cancel finds it over").isEqualTo(CancelResult.ALREADY_COMPLETE);
    assertThat(Cancellation.cancel(CompletableFuture.completedFuture("x"), Duration.ZERO))
        .isEqualTo(CancelResult.ALREADY_COMPLETE);

    CountDownLatch started = new CountDownLatch(1);
    CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
    FutureTask<String> task = new FutureTask<>(() -> {
      started.countDown();
      try {
        Thread.sleep(60_000);
        interrupted.complete(false);
      } catch (InterruptedException e) {
        interrupted.complete(true);
      }
      return "done";
    });
    Thread.ofPlatform().start(task);
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(Cancellation.cancel(task, Duration.ofSeconds(30))).isEqualTo(CancelResult.FORCED);
    assertThat(interrupted.get(30, TimeUnit.SECONDS)).as("its task was interrupted").isTrue();
  }

  @Test
  void cancellingAStageDerivedFromARemoteFutureLeavesTheRemoteCallAlone() throws Exception {
    CompletableFuture<Integer> remote = client.get(dev.tether.fixtures.EchoServiceAsync.class,
        "echo").awaitCancel(60_000);
    CompletableFuture<Integer> derived = remote.thenApply(v -> v + 1);
    assertThat(Cancellation.cancel(derived, Duration.ofSeconds(30))).isEqualTo(CancelResult.FORCED);
    assertThat(remote).isNotDone();
    assertThat(Cancellation.cancel(remote, Duration.ofSeconds(30)))
        .isEqualTo(CancelResult.ACKNOWLEDGED);
  }
}
