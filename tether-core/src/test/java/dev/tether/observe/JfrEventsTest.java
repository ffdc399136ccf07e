package dev.tether.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.CallCancelledException;
import dev.tether.CancelResult;
import dev.tether.Cancellation;
import dev.tether.Tether;
import dev.tether.TetherServer;
import dev.tether.e2e.TestWorkers;
import dev.tether.fixtures.EchoService;
import dev.tether.fixtures.EchoServiceImpl;
import dev.tether.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tether's JFR events, recorded in this JVM and checked field by field. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JfrEventsTest {
  final List<RecordedEvent> events = new CopyOnWriteArrayList<>();
  RecordingStream stream;

  @BeforeEach
  void record() {
    stream = new RecordingStream();
    for (String name : List.of("dev.tether.ClientCall", "dev.tether.ServerCall",
        "dev.tether.Cancel", "dev.tether.Worker")) {
      stream.enable(name).withThreshold(Duration.ZERO);
      stream.onEvent(name, events::add);
    }
    stream.setMaxAge(Duration.ofMinutes(1));
    stream.startAsync();
  }

  @AfterEach
  void stop() {
    stream.close();
  }

  private RecordedEvent awaitEvent(String type, Predicate<RecordedEvent> which)
      throws InterruptedException {
    Await.until(() -> events.stream().anyMatch(e -> e.getEventType().getName().equals(type)
        && which.test(e)), "a " + type + " event");
    return events.stream().filter(e -> e.getEventType().getName().equals(type) && which.test(e))
        .findFirst().orElseThrow();
  }

  private static Predicate<RecordedEvent> method(String name) {
    return e -> name.equals(e.getString("method"));
  }

  @Test
  void anOkCallRecordsOneEventOnEachSide() throws Exception {
    try (TetherServer server = TetherServer.builder()
        .export("echo", EchoService.class, new EchoServiceImpl()).start();
        Tether client = Tether.connect(server.address())) {
      EchoService echo = client.get(EchoService.class, "echo");
      assertThat(echo.echoString("jfr")).isEqualTo("jfr");

      RecordedEvent c = awaitEvent("dev.tether.ClientCall", method("echoString"));
      assertThat(c.getString("interfaceName")).isEqualTo(EchoService.class.getName());
      assertThat(c.getString("peer")).endsWith(server.address());
      assertThat(c.getString("outcome")).isEqualTo("ok");
      assertThat(c.getLong("bytesSent")).isGreaterThan(5);
      assertThat(c.getLong("bytesReceived")).isGreaterThan(5);
      assertThat(c.getInt("metadataEntries")).isZero();
      assertThat(c.getDuration()).isPositive();
      assertThat(c.getStackTrace()).as("no stack traces by default").isNull();

      RecordedEvent s = awaitEvent("dev.tether.ServerCall", method("echoString"));
      assertThat(s.getInt("callId")).isEqualTo(c.getInt("callId"));
      assertThat(s.getString("outcome")).isEqualTo("ok");
      assertThat(s.getLong("bytesReceived")).isEqualTo(c.getLong("bytesSent"));
      assertThat(s.getLong("bytesSent")).isEqualTo(c.getLong("bytesReceived"));
      assertThat(events).noneMatch(e -> e.getEventType().getName().equals("dev.tether.Cancel"));
    }
  }

  /** Says which thread serves it. */
  public interface ThreadProbe {
    /** The name of the thread running this call. */
    String thread();
  }

  @Test
  void aRecordingLeavesFastCallsInlineOnTheServersReader() throws Exception {
    try (TetherServer server = TetherServer.builder()
        .export("probe", ThreadProbe.class, () -> Thread.currentThread().getName()).start();
        Tether client = Tether.connect(server.address())) {
      ThreadProbe probe = client.get(ThreadProbe.class, "probe");
      boolean inline = false;
      for (int i = 0; i < 20_000 && !inline; i++) { // the inline policy trusts fast methods
        inline = probe.thread().contains("reader");
      }
      assertThat(inline).as("a call ran on the reader while recording").isTrue();

      RecordedEvent s = awaitEvent("dev.tether.ServerCall",
          method("thread").and(e -> e.getBoolean("inline")));
      assertThat(s.getString("outcome")).isEqualTo("ok");
    }
  }

  @Test
  void aCancelledCallRecordsItsCancelOnBothSides() throws Exception {
    try (TetherServer server = TetherServer.builder()
        .export("echo", EchoService.class, new EchoServiceImpl()).start();
        Tether client = Tether.connect(server.address())) {
      EchoService echo = client.get(EchoService.class, "echo");
      CompletableFuture<Object> outcome = new CompletableFuture<>();
      Thread caller = call(() -> echo.awaitCancel(60_000), outcome);
      Await.until(() -> echo.startedCount() > 0 && Cancellation.pendingCall(caller).isPresent(),
          "awaitCancel to run");
      assertThat(Cancellation.cancel(caller, Duration.ofSeconds(20)))
          .isEqualTo(CancelResult.ACKNOWLEDGED);
      assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(CallCancelledException.class);

      RecordedEvent c = awaitEvent("dev.tether.ClientCall", method("awaitCancel"));
      assertThat(c.getString("outcome")).isEqualTo("cancelled");
      RecordedEvent cc = awaitEvent("dev.tether.Cancel",
          method("awaitCancel").and(e -> "client".equals(e.getString("side"))));
      assertThat(cc.getInt("callId")).isEqualTo(c.getInt("callId"));
      assertThat(cc.getDuration("grace")).isEqualTo(Duration.ofSeconds(20));
      assertThat(cc.getString("result")).isEqualTo("acknowledged");
      assertThat(cc.getBoolean("deadline")).isFalse();
      assertThat(cc.getDuration("timeToRelease")).isPositive();
      assertThat(cc.getDuration("timeToServer")).isPositive();
      assertThat(cc.getString("reason")).contains("cancelled by");

      RecordedEvent sc = awaitEvent("dev.tether.Cancel",
          method("awaitCancel").and(e -> "server".equals(e.getString("side"))));
      assertThat(sc.getString("result")).isEqualTo("acknowledged");
      assertThat(sc.getDuration("grace")).isEqualTo(Duration.ofSeconds(20));
      assertThat(sc.getDuration("timeToServer")).as("the call ran before it arrived").isPositive();
      RecordedEvent s = awaitEvent("dev.tether.ServerCall", method("awaitCancel"));
      assertThat(s.getString("outcome")).isEqualTo("cancelled");
    }
  }

  @Test
  void aForcedCallRecordsAForcedCancelAndAnOrphanedServerCall() throws Exception {
    try (TetherServer server = TetherServer.builder()
        .export("echo", EchoService.class, new EchoServiceImpl()).start();
        Tether client = Tether.connect(server.address())) {
      EchoService echo = client.get(EchoService.class, "echo");
      CompletableFuture<Object> outcome = new CompletableFuture<>();
      Thread caller = call(() -> echo.ignoreCancel(300), outcome);
      Await.until(() -> echo.startedCount() > 0 && Cancellation.pendingCall(caller).isPresent(),
          "ignoreCancel to run");
      assertThat(Cancellation.cancel(caller, Duration.ofMillis(1))).isEqualTo(CancelResult.FORCED);
      assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(CallCancelledException.class);

      RecordedEvent c = awaitEvent("dev.tether.ClientCall", method("ignoreCancel"));
      assertThat(c.getString("outcome")).isEqualTo("forced");
      assertThat(c.getLong("bytesReceived")).isZero();
      RecordedEvent cc = awaitEvent("dev.tether.Cancel",
          method("ignoreCancel").and(e -> "client".equals(e.getString("side"))));
      assertThat(cc.getString("result")).isEqualTo("forced");
      assertThat(cc.getDuration("grace")).isEqualTo(Duration.ofMillis(1));
      assertThat(cc.getLong("timeToServer")).as("never heard from the server").isEqualTo(-1);
      assertThat(cc.getDuration("timeToRelease")).isGreaterThanOrEqualTo(Duration.ofMillis(1));

      RecordedEvent s = awaitEvent("dev.tether.ServerCall", method("ignoreCancel"));
      assertThat(s.getString("outcome")).isEqualTo("forced");
      assertThat(s.getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
      assertThat(s.getLong("bytesSent")).as("its answer was dropped").isZero();
    }
  }

  @Test
  void aWorkerThatExitsRecordsItsStartAndExitWithTheCode() throws Exception {
    Tether worker = TestWorkers.launchEcho();
    long pid = worker.worker().orElseThrow().pid();
    try {
      EchoService echo = worker.get(EchoService.class, "echo");
      try {
        echo.exit(3);
      } catch (RuntimeException expected) {
        // the call never returns: the worker is gone
      }
      RecordedEvent started = awaitEvent("dev.tether.Worker",
          e -> e.getLong("pid") == pid && "started".equals(e.getString("step")));
      assertThat(started.getString("worker")).contains("echo-worker");
      RecordedEvent exited = awaitEvent("dev.tether.Worker",
          e -> e.getLong("pid") == pid && "exited".equals(e.getString("step")));
      assertThat(exited.getInt("exitCode")).isEqualTo(3);
      assertThat(exited.getString("signal")).isNull();
      assertThat(exited.getString("worker")).isEqualTo(started.getString("worker"));
      RecordedEvent crashed = awaitEvent("dev.tether.Worker",
          e -> e.getLong("pid") == pid && "crashed".equals(e.getString("step")));
      assertThat(crashed.getString("detail")).contains("3");
    } finally {
      worker.close();
    }
  }

  private static Thread call(java.util.concurrent.Callable<?> body,
      CompletableFuture<Object> outcome) {
    return Thread.ofPlatform().name("jfr-caller").start(() -> {
      try (var r = Cancellation.enable()) {
        outcome.complete(body.call());
      } catch (Throwable t) {
        outcome.complete(t);
      }
    });
  }
}
