package dev.tether.filters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tether.CallRefusedException;
import dev.tether.CallVerdict;
import dev.tether.CancelScope;
import dev.tether.ErrorCode;
import dev.tether.IncomingCall;
import dev.tether.RetryPolicy;
import dev.tether.ServerBusyException;
import dev.tether.Tether;
import dev.tether.TetherAdmin;
import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import dev.tether.fixtures.GateService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server's incoming-call filter: rejected and busy calls never run (counted on the server),
 * busy ones are retried up to the policy's bound and never past the deadline, rejected ones never,
 * and the filter runs on a call thread, never on a connection's reader.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IncomingCallFilterTest {
  private final GateService.Impl impl = new GateService.Impl();
  private final AtomicInteger filtered = new AtomicInteger();
  private TetherServer server;

  @AfterEach
  void stop() {
    impl.release();
    if (server != null) {
      server.close();
    }
  }

  private TetherServer start(java.util.function.Function<IncomingCall, CallVerdict> verdict) {
    server = TetherServer.builder().export("gate", GateService.class, impl)
        .incomingCallFilter(call -> {
          filtered.incrementAndGet();
          return verdict.apply(call);
        }).start();
    return server;
  }

  private static RetryPolicy quickRetries(int attempts) {
    return RetryPolicy.defaults().withMaxAttempts(attempts)
        .withBackoff(Duration.ofMillis(1), Duration.ofMillis(2), 2).withBudget(1.0, 1000);
  }

  @Test
  void aRejectedCallNeverRunsIsNeverRetriedAndSaysWhy() {
    start(call -> call.method().getName().equals("work")
        ? CallVerdict.reject("work is closed today") : CallVerdict.accept());
    try (Tether client = Tether.connect(server.address(),
        TetherOptions.defaults().withRetryPolicy(quickRetries(5)))) {
      GateService gate = client.get(GateService.class, "gate");

      CallRefusedException e = catchThrowableOfType(CallRefusedException.class,
          () -> gate.work(1));

      assertThat(e).isNotInstanceOf(ServerBusyException.class);
      assertThat(e.code()).isEqualTo(ErrorCode.REJECTED);
      assertThat(e.isBusy()).isFalse();
      assertThat(e.getMessage()).isEqualTo("work is closed today");
      assertThat(filtered).as("asked once: a rejection is never retried").hasValue(1);
      assertThat(impl.executed).as("the method never ran").hasValue(0);
      assertThat(gate.workIdempotent(3)).as("other methods pass").isEqualTo(3);
      assertThat(impl.executed).hasValue(1);
    }
  }

  @Test
  void busyCallsAreRetriedUpToThePolicysBoundAndNeverRun() {
    start(call -> CallVerdict.busy("come back later"));
    try (Tether client = Tether.connect(server.address(),
        TetherOptions.defaults().withRetryPolicy(quickRetries(3)))) {
      GateService gate = client.get(GateService.class, "gate");

      ServerBusyException e = catchThrowableOfType(ServerBusyException.class, () -> gate.work(1));

      assertThat(e.code()).isEqualTo(ErrorCode.SERVER_BUSY);
      assertThat(e.attempts()).isEqualTo(3);
      assertThat(e.stoppedBecause()).isEqualTo(ServerBusyException.StopReason.MAX_ATTEMPTS);
      assertThat(e.lastRefusal()).isEqualTo("come back later");
      assertThat(e.getMessage()).contains("3 attempts").contains("come back later");
      assertThat(filtered).hasValue(3);
      assertThat(impl.executed).as("a busy call never runs").hasValue(0);
    }
  }

  @Test
  void withoutARetryPolicyABusyAnswerFailsAtOnce() {
    start(call -> CallVerdict.busy("busy"));
    try (Tether client = Tether.connect(server.address())) {
      GateService gate = client.get(GateService.class, "gate");
      ServerBusyException e = catchThrowableOfType(ServerBusyException.class, () -> gate.work(1));
      assertThat(e.attempts()).isEqualTo(1);
      assertThat(e.stoppedBecause()).isEqualTo(ServerBusyException.StopReason.NO_RETRIES);
      assertThat(filtered).hasValue(1);
      assertThat(impl.executed).hasValue(0);
    }
  }

  @Test
  void theRetryAfterHintIsHonouredAndNoAttemptStartsAfterTheDeadline() {
    List<Long> seen = new CopyOnWriteArrayList<>();
    start(call -> {
      seen.add(System.nanoTime());
      return CallVerdict.busy("busy", Duration.ofMillis(150));
    });
    // When the client starts each attempt: the server's filter may run later under load.
    List<Long> attempted = new CopyOnWriteArrayList<>();
    dev.tether.CallListener attempts = new dev.tether.CallListener() {
      @Override
      public void started(dev.tether.CallInfo call) {
        attempted.add(System.nanoTime());
      }
    };
    try (Tether client = Tether.connect(server.address(), TetherOptions.defaults()
        .withRetryPolicy(quickRetries(100)).withCallListener(attempts))) {
      GateService gate = client.get(GateService.class, "gate");
      long start = System.nanoTime();
      ServerBusyException e;
      try (CancelScope scope = CancelScope.withTimeout(Duration.ofMillis(400))) {
        e = catchThrowableOfType(ServerBusyException.class, () -> gate.work(1));
      }
      long deadline = start + TimeUnit.MILLISECONDS.toNanos(400);

      assertThat(e.stoppedBecause()).isEqualTo(ServerBusyException.StopReason.DEADLINE);
      assertThat(e.retryAfter()).contains(Duration.ofMillis(150));
      assertThat(e.attempts()).as("at most 400/150 + 1 attempts").isBetween(1, 3)
          .isEqualTo(seen.size()).isEqualTo(attempted.size());
      for (int i = 1; i < attempted.size(); i++) {
        assertThat(attempted.get(i) - attempted.get(i - 1))
            .as("waited the hint before attempt %d", i + 1)
            .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(150));
      }
      assertThat(attempted).allSatisfy(t -> assertThat(t).as("no attempt after the deadline")
          .isLessThan(deadline));
      assertThat(impl.executed).hasValue(0);
    }
  }

  @Test
  void theFilterRunsOnACallThreadAndSeesTheCallAndTheLoad() {
    List<String> threads = new CopyOnWriteArrayList<>();
    List<String> what = new CopyOnWriteArrayList<>();
    start(call -> {
      threads.add(Thread.currentThread().getName());
      what.add(call.iface().getSimpleName() + "." + call.method().getName() + " "
          + call.callsInFlight() + " " + call.connectionCallsInFlight() + " "
          + call.concurrencyLimit());
      return CallVerdict.accept();
    });
    try (Tether client = Tether.connect(server.address())) {
      GateService gate = client.get(GateService.class, "gate");
      for (int i = 0; i < 40; i++) { // enough fast calls that an unfiltered method would inline
        assertThat(gate.work(0)).isZero();
      }
      client.get(TetherAdmin.class, TetherAdmin.NAME).stats();
    }
    assertThat(threads).hasSize(40).allSatisfy(t -> assertThat(t).startsWith("tether-call-"));
    assertThat(what).first().isEqualTo("GateService.work 1 1 " + Integer.MAX_VALUE);
  }

  @Test
  void theFilterSeesWhoIsCalling() {
    List<String> callers = new CopyOnWriteArrayList<>();
    start(call -> {
      callers.add(call.caller().map(c -> c.kind() + " " + c.user()).orElse("none"));
      return CallVerdict.accept();
    });
    try (Tether client = Tether.connect(server.address())) { // a Unix socket: the kernel says
      assertThat(client.get(GateService.class, "gate").work(0)).isZero();
    }
    assertThat(callers).containsExactly("UNIX_PEER " + System.getProperty("user.name"));
  }

  @Test
  void aFilterThatThrowsRejectsTheCallAndTheServerGoesOn() {
    AtomicInteger n = new AtomicInteger();
    start(call -> {
      if (n.incrementAndGet() == 1) {
        throw new IllegalStateException("filter bug");
      }
      return CallVerdict.accept();
    });
    try (Tether client = Tether.connect(server.address())) {
      GateService gate = client.get(GateService.class, "gate");
      CallRefusedException e = catchThrowableOfType(CallRefusedException.class,
          () -> gate.work(1));
      assertThat(e.code()).isEqualTo(ErrorCode.REJECTED);
      assertThat(e.getMessage()).contains("filter bug");
      assertThat(gate.work(2)).isEqualTo(2);
      assertThat(impl.executed).hasValue(1);
    }
  }

  @Test
  void exhaustedRefusalsAreRetriedByTheSameMachinery() throws Exception {
    server = TetherServer.builder().export("gate", GateService.class, impl).maxCallThreads(1)
        .start();
    AtomicInteger backoffs = new AtomicInteger();
    RetryPolicy policy = quickRetries(50).withRandom(() -> {
      backoffs.incrementAndGet();
      impl.release(); // refused once: free the only call thread
      return 0.0;
    });
    try (Tether client = Tether.connect(server.address(),
        TetherOptions.defaults().withRetryPolicy(policy))) {
      GateService gate = client.get(GateService.class, "gate");
      var holder = java.util.concurrent.CompletableFuture.supplyAsync(gate::hold);
      dev.tether.testing.Await.until(() -> impl.inFlight.get() == 1, "the holder to run");

      assertThat(gate.work(1)).isEqualTo(1);

      assertThat(backoffs.get()).as("refused (SERVER_EXHAUSTED) at least once").isPositive();
      assertThat(holder.get(30, TimeUnit.SECONDS)).isEqualTo(1);
      assertThat(impl.executed).as("the holder and one run of work").hasValue(2);
    }
  }
}
