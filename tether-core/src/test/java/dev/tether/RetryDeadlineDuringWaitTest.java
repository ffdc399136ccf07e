package dev.tether;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tether.fixtures.EchoService;
import dev.tether.fixtures.EchoServiceAsync;
import dev.tether.fixtures.EchoServiceImpl;
import dev.tether.internal.cancel.CancelReason;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A deadline that passes while a busy call waits to retry ends it as a retry judged too long in
 * advance does: {@link ServerBusyException} stopped because of the DEADLINE, with the last refusal,
 * not "cancelled before it was sent". The wait is planned to end before the deadline, but on a
 * loaded machine it can overrun (CI saw it); here the scope's deadline is fired during the wait,
 * as its timer does.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RetryDeadlineDuringWaitTest {
  private final AtomicInteger attempts = new AtomicInteger();
  private final CountDownLatch firstAttemptEnded = new CountDownLatch(1);
  private TetherServer server;
  private Tether client;

  private <T> T start(Class<T> iface) {
    server = TetherServer.builder().export("echo", EchoService.class, new EchoServiceImpl())
        .incomingCallFilter(call -> {
          attempts.incrementAndGet();
          return CallVerdict.busy("busy", Duration.ofSeconds(20));
        }).start();
    CallListener ends = new CallListener() {
      @Override
      public void ended(CallInfo call, CallOutcome outcome, Throwable failure) {
        firstAttemptEnded.countDown();
      }
    };
    client = Tether.connect(server.address(), TetherOptions.defaults().withCallListener(ends)
        .withRetryPolicy(RetryPolicy.defaults().withMaxAttempts(5)));
    return client.get(iface, "echo");
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

  /** Fires the scope's deadline once the first attempt has ended (its caller now waits 20 s). */
  private void fireDeadlineDuringTheWait(CancelScope scope) {
    Thread.ofPlatform().start(() -> {
      try {
        if (firstAttemptEnded.await(30, TimeUnit.SECONDS)) {
          scope.node().cancel(CancelReason.deadlineExceeded(0));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  @Test
  void aSynchronousCallEndsAsBusyStoppedByTheDeadline() {
    EchoService echo = start(EchoService.class);
    Throwable thrown;
    try (CancelScope scope = CancelScope.withTimeout(Duration.ofSeconds(60))) {
      fireDeadlineDuringTheWait(scope);
      thrown = catchThrowable(() -> echo.echo(1));
    }
    assertBusyStoppedByDeadline(thrown);
  }

  @Test
  void anAsynchronousCallEndsAsBusyStoppedByTheDeadline() throws Exception {
    EchoServiceAsync echo = start(EchoServiceAsync.class);
    CompletableFuture<Integer> f;
    try (CancelScope scope = CancelScope.withTimeout(Duration.ofSeconds(60))) {
      fireDeadlineDuringTheWait(scope);
      f = echo.echo(1);
      Throwable thrown = catchThrowable(() -> f.get(30, TimeUnit.SECONDS));
      assertThat(thrown).isInstanceOf(ExecutionException.class);
      assertBusyStoppedByDeadline(thrown.getCause());
    }
  }

  private void assertBusyStoppedByDeadline(Throwable thrown) {
    assertThat(thrown).isInstanceOfSatisfying(ServerBusyException.class, e -> {
      assertThat(e.stoppedBecause()).isEqualTo(ServerBusyException.StopReason.DEADLINE);
      assertThat(e.attempts()).isEqualTo(1);
      assertThat(e.lastRefusal()).isEqualTo("busy");
      assertThat(e.retryAfter()).contains(Duration.ofSeconds(20));
    });
    assertThat(attempts).as("no attempt after the deadline").hasValue(1);
  }
}
