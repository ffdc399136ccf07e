package dev.tether.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tether.ConnectionClosedException;
import dev.tether.ErrorCode;
import dev.tether.Tether;
import dev.tether.TetherException;
import dev.tether.TetherServer;
import dev.tether.fixtures.Spinner;
import dev.tether.testing.Await;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** TetherServer's lifecycle: shutdown, shutdownNow, awaitTermination and close, as executors. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerLifecycleTest {
  private final Spinner.Impl impl = new Spinner.Impl();
  private final TetherServer server = TetherServer.builder()
      .export("spin", Spinner.class, impl)
      .drainTimeout(Duration.ofMillis(300))
      .start();
  private final Tether client = Tether.connect(server.address());
  private final Spinner.Async spin = client.get(Spinner.Async.class, "spin");
  private final Spinner sync = client.get(Spinner.class, "spin");

  @AfterEach
  void stop() {
    impl.release(); // no spinner outlives a test
    client.close();
    server.close();
  }

  @Test
  void shutdownReturnsAtOnceAndLetsARunningCallDeliverItsAnswer() throws Exception {
    CompletableFuture<Long> running = spin.spin();
    Await.until(() -> impl.spinning() == 1, "the call to run");

    server.shutdown();
    assertThat(server.isShutdown()).isTrue();
    assertThat(server.isTerminated()).as("a call still runs").isFalse();
    assertThat(server.awaitTermination(Duration.ofMillis(50))).isFalse();

    impl.release();
    assertThat(running.get(30, TimeUnit.SECONDS)).isNotNegative();
    assertThat(server.awaitTermination(Duration.ofSeconds(30))).isTrue();
    assertThat(server.isTerminated()).isTrue();
    assertThat(server.stats().connections()).isZero();
  }

  @Test
  void aCallAfterShutdownFailsAtOnceAsUnavailableAndNeverRuns() throws Exception {
    CompletableFuture<Long> running = spin.spin(); // keeps the connection open
    Await.until(() -> impl.spinning() == 1, "the call to run");
    long startedBefore = server.stats().callsStarted();

    server.shutdown();
    TetherException refused = catchThrowableOfType(TetherException.class, () -> sync.echo(1));
    assertThat(refused.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(refused.getMessage()).contains("shutting down");
    assertThat(server.stats().callsStarted()).isBetween(startedBefore, startedBefore + 1);

    ConnectionClosedException noConnection = catchThrowableOfType(ConnectionClosedException.class,
        () -> Tether.connect(server.address()));
    assertThat(noConnection).as("a new connection is refused").isNotNull();

    impl.release();
    assertThat(running.get(30, TimeUnit.SECONDS)).isNotNegative();
  }

  @Test
  void shutdownNowCancelsRunningCallsAndClosesConnections() throws Exception {
    CompletableFuture<Integer> cooperative = spin.awaitCancel();
    Await.until(() -> impl.waiting() == 1, "the call to run");

    server.shutdownNow();
    ExecutionException failed = catchThrowableOfType(ExecutionException.class,
        () -> cooperative.get(30, TimeUnit.SECONDS));
    assertThat(failed).hasCauseInstanceOf(ConnectionClosedException.class);
    assertThat(server.awaitTermination(Duration.ofSeconds(30)))
        .as("the method saw the cancel and ended").isTrue();
    assertThat(impl.waiting()).isZero();
    assertThat(client.isOpen()).isFalse();
  }

  @Test
  void anOrphanThatIgnoresCancellationKeepsTheServerFromTerminating() throws Exception {
    CompletableFuture<Long> spinner = spin.spin();
    Await.until(() -> impl.spinning() == 1, "the call to run");
    impl.startSpinning();

    server.shutdownNow();
    assertThat(catchThrowableOfType(ExecutionException.class,
        () -> spinner.get(30, TimeUnit.SECONDS))).hasCauseInstanceOf(ConnectionClosedException.class);
    Await.until(() -> server.stats().orphansRunning() == 1, "the spinner to become an orphan");
    assertThat(server.awaitTermination(Duration.ofMillis(100))).isFalse();
    assertThat(server.orphans()).singleElement()
        .satisfies(o -> assertThat(o.method()).isEqualTo("Spinner.spin"));

    impl.release();
    assertThat(server.awaitTermination(Duration.ofSeconds(30))).isTrue();
  }

  @Test
  void closeGivesUpOnACallThatOutlivesTheDrainTimeoutAndReturns() throws Exception {
    CompletableFuture<Long> spinner = spin.spin();
    Await.until(() -> impl.spinning() == 1, "the call to run");
    impl.startSpinning();

    long start = System.nanoTime();
    server.close();
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(tookMillis).as("bounded by the drain timeout, not by the call").isLessThan(20_000);
    assertThat(catchThrowableOfType(ExecutionException.class,
        () -> spinner.get(30, TimeUnit.SECONDS))).hasCauseInstanceOf(ConnectionClosedException.class);
    assertThat(server.isShutdown()).isTrue();
    server.close(); // idempotent
    server.shutdownNow();
  }

  @Test
  void closeOfAnIdleServerTerminatesIt() throws Exception {
    assertThat(sync.echo(3)).isEqualTo(3);
    server.close();
    assertThat(server.awaitTermination(Duration.ofSeconds(30))).isTrue();
  }
}
