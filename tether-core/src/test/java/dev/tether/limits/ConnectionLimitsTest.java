package dev.tether.limits;

import dev.tether.fixtures.PlainTcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tether.ConnectionClosedException;
import dev.tether.ErrorCode;
import dev.tether.Tether;
import dev.tether.TetherException;
import dev.tether.TetherServer;
import dev.tether.fixtures.EchoService;
import dev.tether.fixtures.EchoServiceImpl;
import dev.tether.fixtures.SleepService;
import dev.tether.fixtures.Spinner;
import dev.tether.testing.Await;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Connections and the calls on one connection are bounded; idle connections are closed. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionLimitsTest {

  @Test
  void aConnectionBeyondMaxConnectionsIsRefusedWithTheReasonNotLeftHanging() throws Exception {
    try (TetherServer server = TetherServer.builder()
        .export("echo", EchoService.class, new EchoServiceImpl())
        .listen("tcp:127.0.0.1:0").insecurePlaintextTcp().maxConnections(2).start();
        Tether first = Tether.connect(server.address(), PlainTcp.OPTIONS);
        Tether second = Tether.connect(server.address(), PlainTcp.OPTIONS)) {
      long start = System.nanoTime();
      TetherException refused =
          catchThrowableOfType(TetherException.class,
              () -> Tether.connect(server.address(), PlainTcp.OPTIONS));
      assertThat(refused.getMessage()).contains("SERVER_EXHAUSTED").contains("maxConnections 2");
      assertThat(System.nanoTime() - start).as("refused at once, not after a timeout")
          .isLessThan(TimeUnit.SECONDS.toNanos(5));
      assertThat(server.stats().connectionsRefused()).isEqualTo(1);
      assertThat(first.get(EchoService.class, "echo").echo(1)).isEqualTo(1);

      second.close();
      Await.until(() -> server.stats().connections() < 2, "the closed client to leave");
      try (Tether third = Tether.connect(server.address(), PlainTcp.OPTIONS)) {
        assertThat(third.get(EchoService.class, "echo").echo(3)).isEqualTo(3);
      }
    }
  }

  @Test
  void aCallBeyondMaxCallsPerConnectionIsRefusedAndTheConnectionStaysUsable() throws Exception {
    Spinner.Impl impl = new Spinner.Impl();
    TetherServer server = TetherServer.builder().export("spin", Spinner.class, impl)
        .maxCallsPerConnection(2).start();
    try (Tether client = Tether.connect(server.address(), PlainTcp.OPTIONS);
        Tether other = Tether.connect(server.address(), PlainTcp.OPTIONS)) {
      Spinner.Async spin = client.get(Spinner.Async.class, "spin");
      CompletableFuture<Long> first = spin.spin();
      CompletableFuture<Long> second = spin.spin();
      Await.until(() -> impl.spinning() == 2, "both calls to run");

      TetherException refused = catchThrowableOfType(TetherException.class,
          () -> client.get(Spinner.class, "spin").echo(1));
      assertThat(refused.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
      assertThat(refused.getMessage()).contains("maxCallsPerConnection 2");
      assertThat(other.get(Spinner.class, "spin").echo(2)).as("another connection is served")
          .isEqualTo(2);

      impl.release();
      assertThat(first.get(30, TimeUnit.SECONDS)).isNotNegative();
      assertThat(second.get(30, TimeUnit.SECONDS)).isNotNegative();
      assertThat(client.get(Spinner.class, "spin").echo(7)).isEqualTo(7);
    } finally {
      impl.release();
      server.close();
    }
  }

  @Test
  void anIdleConnectionIsToldToGoAwayAndItsNextCallFailsClearly() throws Exception {
    try (TetherServer server = TetherServer.builder()
        .export("echo", EchoService.class, new EchoServiceImpl())
        .idleTimeout(Duration.ofMillis(200)).start();
        Tether client = Tether.connect(server.address(), PlainTcp.OPTIONS)) {
      EchoService echo = client.get(EchoService.class, "echo");
      assertThat(echo.echo(1)).isEqualTo(1);
      Await.until(() -> server.stats().connections() == 0, "the idle connection to be closed");

      ConnectionClosedException e =
          catchThrowableOfType(ConnectionClosedException.class, () -> echo.echo(2));
      assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
      assertThat(e.getMessage()).contains("idle").contains("idleTimeout");
    }
  }

  @Test
  void aConnectionWithAPendingCallIsNeverIdle() throws Exception {
    try (TetherServer server = TetherServer.builder()
        .export("sleep", SleepService.class, new SleepService.Impl())
        .idleTimeout(Duration.ofMillis(100)).start();
        Tether client = Tether.connect(server.address(), PlainTcp.OPTIONS)) {
      assertThat(client.get(SleepService.class, "sleep").sleepPlain(800)).isNotNull();
    }
  }
}
