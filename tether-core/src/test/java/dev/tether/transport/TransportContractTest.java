package dev.tether.transport;

import dev.tether.fixtures.PlainTcp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.CallCancelledException;
import dev.tether.Cancellation;
import dev.tether.ConnectionClosedException;
import dev.tether.Tether;
import dev.tether.TetherServer;
import dev.tether.fixtures.EchoService;
import dev.tether.fixtures.EchoServiceImpl;
import dev.tether.testing.Async;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The behaviour every transport must show; one subclass per transport. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class TransportContractTest {
  TetherServer server;
  CountDownLatch served = new CountDownLatch(1);
  CompletableFuture<Boolean> serverSawCancel = new CompletableFuture<>();

  /** An address to listen on. */
  abstract String listenAddress() throws Exception;

  /** Adds what the transport needs to the server (TLS, say); nothing by default. */
  TetherServer.Builder configure(TetherServer.Builder server) {
    return server;
  }

  /** Connects to the server as this transport's clients do. */
  Tether connect() {
    return Tether.connect(server.address(), PlainTcp.OPTIONS);
  }

  @BeforeEach
  void startServer() throws Exception {
    server = configure(TetherServer.builder())
        .export("echo", EchoService.class, new EchoServiceImpl() {
          @Override
          public int awaitCancel(long maxMillis) {
            served.countDown();
            try {
              return super.awaitCancel(maxMillis);
            } finally {
              serverSawCancel.complete(Cancellation.isCancelled());
            }
          }
        })
        .listen(listenAddress()).insecurePlaintextTcp()
        .drainTimeout(Duration.ofMillis(200))
        .start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void callsRoundTrip() {
    try (Tether t = connect()) {
      EchoService echo = t.get(EchoService.class, "echo");
      assertThat(echo.echo(7)).isEqualTo(7);
      assertThat(echo.echoString("héllo")).isEqualTo("héllo");
    }
  }

  @Test
  void concurrentCallsAreMultiplexedOnOneConnection() throws Exception {
    try (Tether t = connect()) {
      EchoService echo = t.get(EchoService.class, "echo");
      List<CompletableFuture<Boolean>> all = new ArrayList<>();
      for (int th = 0; th < 8; th++) {
        int base = th * 10_000;
        all.add(Async.run(() -> {
          for (int i = 0; i < 500; i++) {
            if (echo.echo(base + i) != base + i) {
              return false;
            }
          }
          return true;
        }));
      }
      for (CompletableFuture<Boolean> f : all) {
        assertThat(f.get(50, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(server.stats().connections()).isEqualTo(1);
    }
  }

  @Test
  void serverCloseDuringACallFailsItWithConnectionClosed() throws Exception {
    Tether t = connect();
    try {
      EchoService echo = t.get(EchoService.class, "echo");
      CompletableFuture<Throwable> outcome =
            Async.thrownBy(() -> echo.awaitCancel(TimeUnit.MINUTES.toMillis(5)));
      assertThat(served.await(30, TimeUnit.SECONDS)).isTrue();
      server.close();
      assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(ConnectionClosedException.class);
      assertThat(serverSawCancel.get(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      t.close();
    }
  }

  @Test
  void clientCloseDuringACallCancelsItOnTheServer() throws Exception {
    Tether t = connect();
    EchoService echo = t.get(EchoService.class, "echo");
    CompletableFuture<Throwable> outcome =
          Async.thrownBy(() -> echo.awaitCancel(TimeUnit.MINUTES.toMillis(5)));
    assertThat(served.await(30, TimeUnit.SECONDS)).isTrue();
    t.close();
    assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(ConnectionClosedException.class);
    assertThat(serverSawCancel.get(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aCallCancelledByTheServerIsReportedAsCancelled() throws Exception {
    // awaitCancel lets CallCancelledException escape once cancelled: the answer is an ack.
    try (Tether t = connect()) {
      EchoService echo = t.get(EchoService.class, "echo");
      Thread caller = Thread.currentThread();
      CompletableFuture<?> canceller = Async.run(() -> {
        assertThat(served.await(30, TimeUnit.SECONDS)).isTrue();
        return Cancellation.cancel(caller, Duration.ofSeconds(30));
      });
      try (var c = Cancellation.enable()) {
        echo.awaitCancel(TimeUnit.MINUTES.toMillis(5));
        throw new AssertionError("not cancelled");
      } catch (CallCancelledException e) {
        assertThat(e.acknowledged()).isTrue();
      }
      canceller.get(30, TimeUnit.SECONDS);
    }
  }
}
