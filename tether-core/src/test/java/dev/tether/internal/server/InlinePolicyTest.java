package dev.tether.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.Tether;
import dev.tether.TetherServer;
import dev.tether.fixtures.EchoService;
import dev.tether.fixtures.EchoServiceImpl;
import dev.tether.fixtures.ThreadProbe;
import dev.tether.internal.codec.InterfaceSchema;
import dev.tether.testing.Await;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InlinePolicyTest {
  static final long FAST = InlinePolicy.FAST_NANOS;
  static final long SLOW = InlinePolicy.FAST_NANOS + 1;

  private static ServedMethod method(String name, boolean interruptAll) throws Exception {
    ExportedObject o = new ExportedObject("echo", EchoService.class, new EchoServiceImpl(),
        interruptAll);
    InterfaceSchema schema = InterfaceSchema.of(EchoService.class);
    for (int i = 0; i < schema.size(); i++) {
      if (schema.method(i).method().getName().equals(name)) {
        return o.method(i);
      }
    }
    throw new AssertionError("no method " + name);
  }

  private static void runs(ServedMethod m, int n, long nanos) {
    for (int i = 0; i < n; i++) {
      m.inline().record(nanos);
    }
  }

  @Test
  void aMethodRunsInlineOnlyOnceItHasBeenFastEnoughTimes() throws Exception {
    ServedMethod echo = method("echo", false);
    assertThat(InlinePolicy.mayInline(echo)).isFalse();
    runs(echo, InlinePolicy.CREDIT_NEEDED - 1, FAST);
    assertThat(InlinePolicy.mayInline(echo)).isFalse();
    runs(echo, 1, FAST);
    assertThat(InlinePolicy.mayInline(echo)).isTrue();
  }

  @Test
  void oneSlowRunTakesTheCreditAway() throws Exception {
    ServedMethod echo = method("echo", false);
    runs(echo, 100, FAST);
    runs(echo, 1, SLOW);
    assertThat(InlinePolicy.mayInline(echo)).isFalse();
  }

  @Test
  void aMethodThatGotStuckInlineIsBarredForALongWhile() throws Exception {
    ServedMethod echo = method("echo", false);
    runs(echo, 100, FAST);
    echo.inline().stuck();
    runs(echo, 1000, FAST);
    assertThat(InlinePolicy.mayInline(echo)).isFalse();
  }

  @Test
  void asynchronousAndInterruptOnCancelMethodsNeverRunInline() throws Exception {
    ServedMethod async = method("echoAsync", false);
    ServedMethod interrupted = method("echo", true);
    runs(async, 100, FAST);
    runs(interrupted, 100, FAST);
    assertThat(InlinePolicy.mayInline(async)).isFalse();
    assertThat(InlinePolicy.mayInline(interrupted)).isFalse();
    assertThat(interrupted.interruptOnCancel()).isTrue();
  }

  @Test
  void theWatchdogLooksAtReadersWhileInlineCallsRunAndStopsWhenTold() throws Exception {
    CountDownLatch looked = new CountDownLatch(3);
    AtomicBoolean stopped = new AtomicBoolean();
    CountDownLatch stoppedLooking = new CountDownLatch(1);
    InlinePolicy.Reader reader = (now, limit) -> {
      assertThat(limit).isEqualTo(InlinePolicy.LIMIT_NANOS);
      looked.countDown();
      if (stopped.get()) {
        stoppedLooking.countDown();
      }
      return true; // busy: keeps the watchdog ticking until stopped
    };
    InlinePolicy policy = new InlinePolicy(List.of(reader), stopped::get);
    policy.started();
    assertThat(looked.await(10, TimeUnit.SECONDS)).isTrue();
    stopped.set(true);
    assertThat(stoppedLooking.await(10, TimeUnit.SECONDS)).isTrue(); // the tick that stops
  }

  /**
   * Whether a call runs inline depends on how fast its method ran lately, which a loaded machine
   * decides, so the test tries a few times until the slow call did run inline.
   */
  @Test
  void aFastMethodThatTurnsSlowInlineDoesNotStallItsConnection() throws Exception {
    ThreadProbe.Impl impl = new ThreadProbe.Impl();
    try (TetherServer server = TetherServer.builder()
            .export("probe", ThreadProbe.class, impl).listen("mem:inline-slow").start();
        Tether client = Tether.connect(server.address())) {
      ThreadProbe probe = client.get(ThreadProbe.class, "probe");
      boolean slowRanInline = false;
      for (int attempt = 0; attempt < 5 && !slowRanInline; attempt++) {
        int inlineInARow = 0;
        for (int i = 0; i < 10_000 && inlineInARow < 3; i++) {
          inlineInARow = probe.spin(0).startsWith("tether-server-reader") ? inlineInARow + 1 : 0;
        }
        assertThat(inlineInARow).as("the fast method runs inline on the reader").isEqualTo(3);
        int started = impl.started.get();
        CompletableFuture<String> slow = CompletableFuture.supplyAsync(
            () -> probe.spin(TimeUnit.SECONDS.toMicros(2)));
        Await.until(() -> impl.started.get() > started, "the slow call to run");
        assertThat(probe.spin(0)).isNotEmpty(); // read and served while the slow one spins
        assertThat(slow).isNotDone();
        slowRanInline = slow.join().startsWith("tether-server-reader");
      }
      assertThat(slowRanInline).as("a slow call ran inline in one of the attempts").isTrue();
    }
  }
}
