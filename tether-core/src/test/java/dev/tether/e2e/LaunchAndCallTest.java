package dev.tether.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.ConnectionClosedException;
import dev.tether.ErrorCode;
import dev.tether.RemoteException;
import dev.tether.RemoteStackTrace;
import dev.tether.Tether;
import dev.tether.TetherException;
import dev.tether.SupervisionPolicy;
import dev.tether.WorkerCrashedException;
import dev.tether.WorkerFailedException;
import dev.tether.WorkerStartException;
import dev.tether.fixtures.Color;
import dev.tether.fixtures.EchoService;
import dev.tether.fixtures.FailingAtStartup;
import dev.tether.fixtures.FixtureException;
import dev.tether.fixtures.Sample;
import dev.tether.fixtures.SlowToExit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LaunchAndCallTest {
  static Tether worker;
  static EchoService echo;

  @BeforeAll
  static void launch() {
    worker = TestWorkers.launchEcho();
    echo = worker.get(EchoService.class, "echo");
  }

  @AfterAll
  static void close() {
    worker.close();
  }

  @Test
  void callsRunInTheWorkerProcess() {
    assertThat(echo.echo(42)).isEqualTo(42);
    assertThat(echo.pid()).isNotEqualTo(ProcessHandle.current().pid())
        .isEqualTo(worker.worker().orElseThrow().pid());
  }

  @Test
  void voidMethodsReturnNormally() {
    echo.nothing();
    assertThat(echo.echo(3)).isEqualTo(3);
  }

  @Test
  void recordsCollectionsAndNullsRoundTrip() {
    Sample inner = new Sample("inner", -1, new byte[0], List.of(), Map.of(), Optional.empty(),
        null, null);
    Sample s = new Sample("näme ✓", 7, new byte[] {1, 2, 3}, List.of("a", "b"),
        Map.of("x", 1), Optional.of("note"), Color.BLUE, inner);
    assertThat(echo.echoSample(s)).isEqualTo(s);
    assertThat(echo.echoSample(null)).isNull();
    assertThat(echo.echoString(null)).isNull();
    assertThat(echo.echoNested(List.of(Map.of("k", new int[] {1, 2}))).get(0).get("k"))
        .containsExactly(1, 2);
  }

  @Test
  void declaredCheckedExceptionIsRethrownAsItselfWithServerStack() {
    assertThatThrownBy(() -> echo.throwChecked("bad input"))
        .isInstanceOf(FixtureException.class)
        .hasMessage("bad input")
        .cause().isInstanceOf(RemoteStackTrace.class)
        .satisfies(c -> assertThat(c.getStackTrace()).anySatisfy(
            e -> assertThat(e.getMethodName()).isEqualTo("throwChecked")));
  }

  @Test
  void uncheckedServerExceptionArrivesWithTypeMessageStackAndCause() {
    assertThatThrownBy(() -> echo.throwUnchecked("boom"))
        .isInstanceOfSatisfying(RemoteException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_EXCEPTION);
          assertThat(e.remoteType()).isEqualTo("java.lang.IllegalStateException");
          assertThat(e.remoteMessage()).isEqualTo("boom");
          assertThat(e.serverStack().getStackTrace()).anySatisfy(
              f -> assertThat(f.getClassName()).endsWith("EchoServiceImpl"));
          assertThat(e.serverStack().getCause()).isInstanceOf(RemoteStackTrace.class)
              .hasMessage("the cause");
          assertThat(((RemoteStackTrace) e.serverStack().getCause()).remoteType())
              .isEqualTo("java.io.IOException");
        });
  }

  /** Uses a type Tether cannot carry. */
  public interface TakesObjects {
    int size(Object anything);
  }

  @Test
  void interfaceWithAnUnsupportedTypeIsRefusedWhenTheProxyIsCreated() {
    assertThatThrownBy(() -> worker.get(TakesObjects.class, "echo"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("for method TakesObjects.size(Object)")
        .hasMessageContaining("parameter 0")
        .hasMessageContaining("java.lang.Object");
    assertThat(worker.pendingCalls()).isZero();
  }

  @Test
  void unknownObjectNameIsNotFound() {
    assertThatThrownBy(() -> worker.get(EchoService.class, "nope"))
        .isInstanceOfSatisfying(TetherException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
        .hasMessageContaining("'nope'").hasMessageContaining("echo");
  }

  @Test
  void workerFailingAtStartupGivesExitCodeAndStderrTail() {
    long start = System.nanoTime();
    assertThatThrownBy(() -> Tether.launch(TestWorkers.echoSpec()
        .export("broken", EchoService.class, FailingAtStartup.class).build()))
        .isInstanceOf(WorkerStartException.class)
        .hasMessageContaining("exited with code 2")
        .hasMessageContaining("config file /etc/missing.conf not found")
        .hasMessageContaining("cannot start without configuration");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
  }

  @Test
  void closingTheHandleStopsTheWorkerAndFailsLaterCalls() throws Exception {
    Tether t = TestWorkers.launchEcho();
    EchoService e = t.get(EchoService.class, "echo");
    assertThat(e.echo(1)).isEqualTo(1);
    ProcessHandle process = t.worker().orElseThrow();
    t.close();
    assertThat(process.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
    assertThat(t.isOpen()).isFalse();
    assertThatThrownBy(() -> e.echo(2)).isInstanceOf(ConnectionClosedException.class);
  }

  @Test
  void workerDeathFailsThePendingCallAtOnceAndWithoutSupervisionEveryLaterCall() throws Exception {
    Tether t = Tether.launch(TestWorkers.echoSpec().supervision(SupervisionPolicy.none()).build());
    try {
      EchoService e = t.get(EchoService.class, "echo");
      ProcessHandle process = t.worker().orElseThrow();
      assertThatThrownBy(() -> e.exit(3))
          .isInstanceOfSatisfying(WorkerCrashedException.class,
              c -> assertThat(c.exitCode()).hasValue(3))
          .hasMessageContaining("exit code 3");
      assertThat(process.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
      assertThatThrownBy(() -> e.echo(1)).isInstanceOf(WorkerFailedException.class)
          .hasMessageContaining("restarting is off").hasMessageContaining("exit code 3");
      assertThat(t.isOpen()).isFalse();
    } finally {
      t.close();
    }
  }

  /**
   * A worker that exits from inside a call while another shutdown hook of its own takes longer
   * than the client waits for an exit after the connection ends: the worker must not close its
   * connections before the process dies, or its calls fail as "closed its connection (the process
   * still runs)" without the exit code.
   */
  @Test
  void aWorkerThatTakesLongToExitStillReportsItsExitCode() throws Exception {
    Tether t = Tether.launch(TestWorkers.echoSpec().supervision(SupervisionPolicy.none())
        .export("slow", EchoService.class, SlowToExit.class).build());
    try {
      EchoService e = t.get(EchoService.class, "slow");
      assertThatThrownBy(() -> e.exit(3))
          .isInstanceOfSatisfying(WorkerCrashedException.class,
              c -> assertThat(c.exitCode()).hasValue(3))
          .hasMessageContaining("died with exit code 3");
      assertThatThrownBy(() -> e.echo(1)).isInstanceOf(WorkerFailedException.class)
          .hasMessageContaining("died with exit code 3")
          .hasMessageNotContaining("still runs");
    } finally {
      t.close();
    }
  }
}
