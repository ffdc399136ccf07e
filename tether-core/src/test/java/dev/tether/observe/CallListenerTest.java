package dev.tether.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.CallCancelledException;
import dev.tether.CallInfo;
import dev.tether.CallListener;
import dev.tether.CallOutcome;
import dev.tether.CancelResult;
import dev.tether.Cancellation;
import dev.tether.RemoteException;
import dev.tether.Tether;
import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import dev.tether.fixtures.EchoService;
import dev.tether.fixtures.EchoServiceImpl;
import dev.tether.observe.RecordingListener.Seen;
import dev.tether.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The call listener on both sides: order, outcomes, threads, sizes, and listeners that fail. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CallListenerTest {
  final RecordingListener clientSide = new RecordingListener();
  final RecordingListener serverSide = new RecordingListener();
  TetherServer server;
  Tether client;

  private EchoService start(CallListener onClient, CallListener onServer) {
    server = TetherServer.builder()
        .export("echo", EchoService.class, new EchoServiceImpl())
        .export("probe", MetadataProbe.class, new MetadataProbeImpl())
        .callListener(onServer)
        .start();
    client = Tether.connect(server.address(),
        TetherOptions.defaults().withCallListener(onClient));
    return client.get(EchoService.class, "echo");
  }

  @AfterEach
  void close() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private List<Seen> serverCall(int n) throws InterruptedException {
    Await.until(() -> serverSide.ends().size() >= n, n + " calls ended on the server");
    return serverSide.byCall.get(serverSide.ends().get(n - 1).call());
  }

  @Test
  void anOkCallIsStartedThenEndedOnceOnEachSideWithItsSizeOnTheRightThreads() throws Exception {
    EchoService echo = start(clientSide, serverSide);
    assertThat(echo.echoString("hello")).isEqualTo("hello");

    assertThat(clientSide.byCall).hasSize(1);
    List<Seen> c = clientSide.byCall.values().iterator().next();
    assertThat(RecordingListener.order(c)).containsExactly("started", "ended");
    CallInfo info = c.get(1).call();
    assertThat(info.side()).isEqualTo(CallInfo.Side.CLIENT);
    assertThat(info.interfaceName()).isEqualTo(EchoService.class.getName());
    assertThat(info.methodName()).isEqualTo("echoString");
    assertThat(info.peer()).isNotBlank();
    assertThat(info.bytesSent()).isGreaterThan(5);
    assertThat(info.bytesReceived()).isGreaterThan(5);
    assertThat(info.durationNanos()).isPositive();
    assertThat(c.get(1).outcome()).isEqualTo(CallOutcome.OK);
    assertThat(c.get(1).failure()).isNull();
    assertThat(c).extracting(Seen::thread).containsOnly(Thread.currentThread().getName());

    List<Seen> s = serverCall(1);
    assertThat(RecordingListener.order(s)).containsExactly("started", "ended");
    CallInfo onServer = s.get(1).call();
    assertThat(onServer.side()).isEqualTo(CallInfo.Side.SERVER);
    assertThat(onServer.methodName()).isEqualTo("echoString");
    assertThat(onServer.callId()).isEqualTo(info.callId());
    assertThat(onServer.bytesReceived()).isEqualTo(info.bytesSent());
    assertThat(onServer.bytesSent()).isEqualTo(info.bytesReceived());
    assertThat(s.get(1).outcome()).isEqualTo(CallOutcome.OK);
    assertThat(s).extracting(Seen::thread).allSatisfy(t -> assertThat(t).doesNotContain("reader"));
  }

  @Test
  void fastCallsOfAServerWithAListenerNeverRunItsCallbacksOnTheReader() throws Exception {
    EchoService echo = start(clientSide, serverSide);
    for (int i = 0; i < 100; i++) { // enough for the inline policy to trust the method
      echo.echo(i);
    }
    serverCall(100);
    assertThat(serverSide.all).extracting(Seen::thread)
        .allSatisfy(t -> assertThat(t).doesNotContain("reader"));
  }

  @Test
  void aThrowingMethodEndsAsAnErrorWithWhatEachSideThrew() throws Exception {
    EchoService echo = start(clientSide, serverSide);
    Throwable thrown = null;
    try {
      echo.throwUnchecked("boom");
    } catch (RemoteException e) {
      thrown = e;
    }
    assertThat(thrown).isNotNull();
    Seen end = clientSide.ends().get(0);
    assertThat(end.outcome()).isEqualTo(CallOutcome.ERROR);
    assertThat(end.failure()).isSameAs(thrown);
    Seen serverEnd = serverCall(1).get(1);
    assertThat(serverEnd.outcome()).isEqualTo(CallOutcome.ERROR);
    assertThat(serverEnd.failure()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
  }

  @Test
  void anAcknowledgedCancelIsReportedBetweenStartAndEndOnBothSides() throws Exception {
    EchoService echo = start(clientSide, serverSide);
    CompletableFuture<Object> outcome = new CompletableFuture<>();
    Thread caller = Thread.ofPlatform().name("listener-caller").start(() -> {
      try (var r = Cancellation.enable()) {
        outcome.complete(echo.awaitCancel(60_000));
      } catch (Throwable t) {
        outcome.complete(t);
      }
    });
    Await.until(() -> !serverSide.all.isEmpty() && Cancellation.pendingCall(caller).isPresent(),
        "the call to run on the server");
    assertThat(Cancellation.cancel(caller, Duration.ofSeconds(30)))
        .isEqualTo(CancelResult.ACKNOWLEDGED);
    assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(CallCancelledException.class);
    caller.join(10_000);

    List<Seen> c = clientSide.byCall.values().iterator().next();
    assertThat(RecordingListener.order(c)).containsExactly("started", "cancelled", "ended");
    CallListener.Cancel cancel = c.get(1).cancel();
    assertThat(cancel.result()).isEqualTo(CancelResult.ACKNOWLEDGED);
    assertThat(cancel.grace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(cancel.deadline()).isFalse();
    assertThat(cancel.untilEnd()).isPositive();
    assertThat(c.get(2).outcome()).isEqualTo(CallOutcome.CANCELLED);
    assertThat(c).extracting(Seen::thread).containsOnly("listener-caller");

    List<Seen> s = serverCall(1);
    assertThat(RecordingListener.order(s)).containsExactly("started", "cancelled", "ended");
    assertThat(s.get(1).cancel().result()).isEqualTo(CancelResult.ACKNOWLEDGED);
    assertThat(s.get(1).cancel().grace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.get(2).outcome()).isEqualTo(CallOutcome.CANCELLED);
  }

  @Test
  void aForcedCallEndsForcedOnTheClientAndAsAnOrphanOnTheServer() throws Exception {
    EchoService echo = start(clientSide, serverSide);
    CompletableFuture<Object> outcome = new CompletableFuture<>();
    Thread caller = Thread.ofPlatform().name("listener-caller").start(() -> {
      try (var r = Cancellation.enable()) {
        outcome.complete(echo.ignoreCancel(300));
      } catch (Throwable t) {
        outcome.complete(t);
      }
    });
    Await.until(() -> !serverSide.all.isEmpty() && Cancellation.pendingCall(caller).isPresent(),
        "the call to run on the server");
    assertThat(Cancellation.cancel(caller, Duration.ZERO)).isEqualTo(CancelResult.FORCED);
    assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(CallCancelledException.class);
    caller.join(10_000);

    List<Seen> c = clientSide.byCall.values().iterator().next();
    assertThat(RecordingListener.order(c)).containsExactly("started", "cancelled", "ended");
    assertThat(c.get(1).cancel().result()).isEqualTo(CancelResult.FORCED);
    assertThat(c.get(2).outcome()).isEqualTo(CallOutcome.FORCED);

    List<Seen> s = serverCall(1);
    assertThat(RecordingListener.order(s)).containsExactly("started", "cancelled", "ended");
    assertThat(s.get(1).cancel().result()).isEqualTo(CancelResult.FORCED);
    assertThat(s.get(2).outcome()).isEqualTo(CallOutcome.FORCED);
  }

  @Test
  void anAsynchronousCallEndsBeforeItsFutureCompletes() throws Exception {
    EchoService echo = start(clientSide, serverSide);
    assertThat(client.get(dev.tether.fixtures.EchoServiceAsync.class, "echo").echo(7)
        .get(30, TimeUnit.SECONDS)).isEqualTo(7);
    assertThat(clientSide.ends()).singleElement()
        .satisfies(e -> {
          assertThat(e.outcome()).isEqualTo(CallOutcome.OK);
          assertThat(e.thread()).doesNotContain("reader");
        });
    assertThat(echo).isNotNull();
  }

  @Test
  void aListenerThatThrowsNeverChangesTheCall() throws Exception {
    CallListener broken = new CallListener() {
      @Override
      public void started(CallInfo call) {
        throw new IllegalStateException("listener bug");
      }

      @Override
      public void ended(CallInfo call, CallOutcome outcome, Throwable failure) {
        throw new OutOfMemoryError("listener bug");
      }
    };
    EchoService echo = start(broken, broken);
    assertThat(echo.echo(41)).isEqualTo(41);
    assertThatThrownBy(() -> echo.throwChecked("checked"))
        .isInstanceOf(dev.tether.fixtures.FixtureException.class);
    assertThat(echo.echo(42)).isEqualTo(42);
  }

  @Test
  void aCallRefusedBeforeDispatchIsReportedAsBusyOffTheReader() throws Exception {
    server = TetherServer.builder()
        .export("echo", EchoService.class, new EchoServiceImpl())
        .maxCallsPerConnection(1)
        .callListener(serverSide)
        .start();
    client = Tether.connect(server.address());
    EchoService echo = client.get(EchoService.class, "echo");
    Thread first = Thread.ofPlatform().start(() -> { // holds the connection's one call slot
      try (var r = Cancellation.enable()) {
        echo.awaitCancel(60_000);
      } catch (CallCancelledException expected) {
        // cancelled at the end of the test
      }
    });
    Await.until(() -> !serverSide.all.isEmpty(), "the first call to run");
    assertThatThrownBy(() -> echo.echo(2)).isInstanceOf(dev.tether.TetherException.class)
        .hasMessageContaining("maxCallsPerConnection");
    Await.until(() -> serverSide.ends().stream().anyMatch(e -> e.outcome() == CallOutcome.BUSY),
        "the refused call to be reported");
    Seen busy = serverSide.ends().stream().filter(e -> e.outcome() == CallOutcome.BUSY)
        .findFirst().orElseThrow();
    assertThat(RecordingListener.order(serverSide.byCall.get(busy.call())))
        .containsExactly("started", "ended");
    assertThat(busy.call().methodName()).isEqualTo("echo");
    assertThat(busy.failure()).isInstanceOf(dev.tether.TetherException.class);
    assertThat(busy.thread()).isEqualTo("tether-call-listener");
    Cancellation.cancel(first, Duration.ofSeconds(10));
    first.join(30_000);
  }

  @Test
  void metadataCanOnlyBeAddedWhileStarting() throws Exception {
    EchoService echo = start(clientSide, serverSide);
    echo.echo(1);
    CallInfo done = clientSide.ends().get(0).call();
    assertThatThrownBy(() -> done.putMetadata("late", "x"))
        .isInstanceOf(IllegalStateException.class);
  }
}
