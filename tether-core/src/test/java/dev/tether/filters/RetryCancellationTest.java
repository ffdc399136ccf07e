package dev.tether.filters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tether.CallCancelledException;
import dev.tether.CallVerdict;
import dev.tether.CancelResult;
import dev.tether.CancelScope;
import dev.tether.Cancellation;
import dev.tether.DeadlineExceededException;
import dev.tether.PendingCallWatch;
import dev.tether.Registration;
import dev.tether.RetryPolicy;
import dev.tether.Tether;
import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import dev.tether.fixtures.GateService;
import dev.tether.testing.Await;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A call waiting to retry is cancelled exactly: at once, as never sent, by a cancel of its
 * thread, its scope, or its pending-call listener; the server sees no further attempt.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RetryCancellationTest {
  private final GateService.Impl impl = new GateService.Impl();
  private final AtomicInteger attempts = new AtomicInteger();
  private TetherServer server;
  private Tether client;
  private GateService gate;

  @BeforeEach
  void start() {
    server = TetherServer.builder().export("gate", GateService.class, impl)
        .incomingCallFilter(call -> {
          attempts.incrementAndGet();
          return CallVerdict.busy("busy", Duration.ofSeconds(20));
        }).start();
    client = Tether.connect(server.address(), TetherOptions.defaults()
        .withRetryPolicy(RetryPolicy.defaults().withMaxAttempts(5)));
    gate = client.get(GateService.class, "gate");
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void cancellingTheThreadOfACallWaitingToRetryEndsItAtOnceAsNeverSent() throws Exception {
    AtomicReference<Thread> caller = new AtomicReference<>();
    CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
      caller.set(Thread.currentThread());
      try (Registration r = Cancellation.enable()) {
        return catchThrowableOfType(CallCancelledException.class, () -> gate.work(1));
      }
    });
    Await.until(() -> attempts.get() == 1 && caller.get() != null
        && Cancellation.pendingCall(caller.get()).isPresent(), "the first refusal");
    Await.until(() -> caller.get().getState() == Thread.State.TIMED_WAITING, "the retry wait");

    long start = System.nanoTime();
    CancelResult r = Cancellation.cancel(caller.get(), Duration.ofSeconds(10));
    CallCancelledException e = (CallCancelledException) outcome.get(5, TimeUnit.SECONDS);

    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
    assertThat(r).isEqualTo(CancelResult.NOT_SENT);
    assertThat(e.outcome()).isEqualTo(CallCancelledException.Outcome.NOT_SENT);
    assertThat(attempts).as("no attempt after the cancel").hasValue(1);
    assertThat(impl.executed).hasValue(0);
  }

  @Test
  void aScopeCancelledWhileWaitingToRetryEndsTheCallAsNeverSent() throws Exception {
    CancelScope scope = CancelScope.open();
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Runnable call = () -> outcome.complete(
        catchThrowableOfType(CallCancelledException.class, () -> gate.work(1)));
    Thread.ofVirtual().start(scope.wrap(call));
    Await.until(() -> attempts.get() == 1, "the first refusal");

    scope.cancel("the user gave up");
    CallCancelledException e = (CallCancelledException) outcome.get(5, TimeUnit.SECONDS);

    assertThat(e.outcome()).isEqualTo(CallCancelledException.Outcome.NOT_SENT);
    assertThat(e.getMessage()).contains("the user gave up");
    assertThat(attempts).hasValue(1);
    scope.close();
  }

  @Test
  void aListenerCancelsACallWaitingToRetry() {
    AtomicReference<CancelResult> result = new AtomicReference<>();
    Thread caller = Thread.currentThread();
    PendingCallWatch watch = PendingCallWatch.after(Duration.ofMillis(100), call -> {
      // Only once the refusal is back and the caller waits to retry (parked): under load the
      // busy answer can take longer than the first tick, and a cancel then meets the attempt.
      if (caller.getState() == Thread.State.TIMED_WAITING) {
        result.compareAndSet(null, call.canceller().cancel(Duration.ofSeconds(1)));
      }
    });
    try (Registration r = watch.pushOnThisThread()) {
      CallCancelledException e = catchThrowableOfType(CallCancelledException.class,
          () -> gate.work(1));
      assertThat(e.outcome()).isEqualTo(CallCancelledException.Outcome.NOT_SENT);
    }
    assertThat(result.get()).isEqualTo(CancelResult.NOT_SENT);
    assertThat(attempts).hasValue(1);
  }

  @Test
  void aDeadlineCoversAllAttemptsTogether() {
    DeadlineExceededException e;
    // a hint shorter than the deadline: the retry waits, then the deadline passes
    server.close();
    AtomicInteger n = new AtomicInteger();
    server = TetherServer.builder().export("gate", GateService.class, impl)
        .incomingCallFilter(call -> n.incrementAndGet() == 1
            ? CallVerdict.busy("busy", Duration.ofMillis(50)) : CallVerdict.accept()).start();
    client.close();
    client = Tether.connect(server.address(), TetherOptions.defaults()
        .withRetryPolicy(RetryPolicy.defaults().withMaxAttempts(5)));
    gate = client.get(GateService.class, "gate");
    // 2 s: room for the refusal to come back on a loaded machine (it once took over 250 ms)
    try (CancelScope scope = CancelScope.withTimeout(Duration.ofSeconds(2))) {
      e = catchThrowableOfType(DeadlineExceededException.class, () -> gate.work(5_000));
    }
    assertThat(n).as("refused once, then dispatched within the same deadline").hasValue(2);
    assertThat(e).isNotNull();
  }
}
