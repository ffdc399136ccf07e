package dev.tether.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.CallOutcome;
import dev.tether.Cancellation;
import dev.tether.Tether;
import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import dev.tether.fixtures.EchoService;
import dev.tether.fixtures.EchoServiceAsync;
import dev.tether.fixtures.EchoServiceImpl;
import dev.tether.observe.RecordingListener.Seen;
import dev.tether.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cancels racing answers: whatever wins, every call is reported started once, cancelled at most
 * once and before its end, and ended exactly once, on both sides.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CallListenerRaceTest {
  private static final Duration[] GRACES = {
      Duration.ZERO, Duration.ofNanos(100_000), Duration.ofMillis(2), Duration.ofMillis(50)};

  @Test
  void everyCallEndsExactlyOnceInOrderWhateverTheCancelRacesWith() throws Exception {
    RecordingListener clientSide = new RecordingListener();
    RecordingListener serverSide = new RecordingListener();
    int calls = 600;
    try (TetherServer server = TetherServer.builder()
        .export("echo", EchoService.class, new EchoServiceImpl())
        .callListener(serverSide).start();
        Tether client = Tether.connect(server.address(),
            TetherOptions.defaults().withCallListener(clientSide))) {
      EchoService echo = client.get(EchoService.class, "echo");
      EchoServiceAsync async = client.get(EchoServiceAsync.class, "echo");
      Random random = new Random(20261122);
      for (int i = 0; i < calls; i++) {
        int value = i;
        long serverMicros = random.nextInt(200);
        long offsetNanos = random.nextInt(300_000);
        Duration grace = GRACES[random.nextInt(GRACES.length)];
        if (i % 2 == 0) {
          CompletableFuture<Object> outcome = new CompletableFuture<>();
          Thread caller = Thread.ofPlatform().start(() -> {
            try (var r = Cancellation.enable()) {
              outcome.complete(echo.spinThenReturn(value, serverMicros));
            } catch (Throwable t) {
              outcome.complete(t);
            }
          });
          spin(offsetNanos);
          Cancellation.cancel(caller, grace);
          outcome.get(30, TimeUnit.SECONDS);
          caller.join(30_000);
        } else {
          CompletableFuture<Integer> f = async.spinThenReturn(value, serverMicros);
          spin(offsetNanos);
          Cancellation.cancel(f, grace);
          Await.until(f::isDone, "the async call to end");
        }
      }
      Await.until(() -> clientSide.ends().size() >= calls, "every client call to end");
      int onServer = serverSide.byCall.size();
      Await.until(() -> serverSide.ends().size() >= serverSide.byCall.size(),
          "every call the server started to end");
      assertThat(onServer).isPositive();
      checkEveryCall(clientSide, calls);
      checkEveryCall(serverSide, serverSide.byCall.size());
      Map<CallOutcome, Long> outcomes = clientSide.ends().stream()
          .collect(Collectors.groupingBy(Seen::outcome, Collectors.counting()));
      assertThat(outcomes).as("both sides of the race happened: %s", outcomes)
          .containsKeys(CallOutcome.OK, CallOutcome.FORCED);
    }
  }

  private static void checkEveryCall(RecordingListener l, int expected) {
    assertThat(l.byCall).hasSize(expected);
    assertThat(l.ends()).hasSize(expected);
    for (List<Seen> seen : l.byCall.values()) {
      List<String> order = RecordingListener.order(seen);
      assertThat(order).as("callbacks of %s", seen.get(0).call())
          .isIn(List.of("started", "ended"), List.of("started", "cancelled", "ended"));
    }
  }

  private static void spin(long nanos) {
    long until = System.nanoTime() + nanos;
    while (System.nanoTime() < until) {
      Thread.onSpinWait();
    }
  }
}
