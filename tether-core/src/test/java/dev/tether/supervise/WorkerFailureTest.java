package dev.tether.supervise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.ErrorCode;
import dev.tether.SupervisionPolicy;
import dev.tether.Tether;
import dev.tether.TetherOptions;
import dev.tether.WorkerCrashedException;
import dev.tether.WorkerSpec;
import dev.tether.e2e.TestWorkers;
import dev.tether.fixtures.CrashService;
import dev.tether.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the calls of a worker that dies or goes idle learn, with real processes and signals. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkerFailureTest {
  static WorkerSpec.Builder spec() {
    return TestWorkers.echoSpec().export("crash", CrashService.class, CrashService.Impl.class);
  }

  @Test
  void exitCodeAndStderrTailReachThePendingCall() {
    try (Tether t = Tether.launch(spec().build())) {
      CrashService c = t.get(CrashService.class, "crash");
      long pid = c.pid();
      assertThatThrownBy(() -> c.crash(42, "disk full, giving up"))
          .isInstanceOfSatisfying(WorkerCrashedException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.WORKER_CRASHED);
            assertThat(e.exitCode()).hasValue(42);
            assertThat(e.signal()).isEmpty();
            assertThat(e.pid()).isEqualTo(pid);
            assertThat(e.stderrTail()).contains("disk full, giving up");
          })
          .hasMessageContaining("exit code 42")
          .hasMessageContaining("disk full, giving up");
    }
  }

  @Test
  void sigkillFailsEveryOneOfAHundredPendingCallsNamingTheSignal() throws Exception {
    try (Tether t = Tether.launch(spec().supervision(SupervisionPolicy.none()).build())) {
      CrashService c = t.get(CrashService.class, "crash");
      ProcessHandle worker = t.worker().orElseThrow();
      List<CompletableFuture<Throwable>> calls = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        CompletableFuture<Throwable> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
          try {
            c.block(120_000);
            f.complete(null);
          } catch (Throwable e) {
            f.complete(e);
          }
        });
        calls.add(f);
      }
      Await.until(() -> t.pendingCalls() == 100, "100 calls pending");
      long killed = System.nanoTime();
      worker.destroyForcibly();
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      long failedAfter = System.nanoTime() - killed;
      for (CompletableFuture<Throwable> f : calls) {
        assertThat(f.get()).isInstanceOfSatisfying(WorkerCrashedException.class, e -> {
          assertThat(e.exitCode()).hasValue(137);
          assertThat(e.signal()).hasValue("SIGKILL");
        }).hasMessageContaining("killed by SIGKILL");
      }
      System.out.printf("SIGKILL -> 100 pending calls failed after %.1f ms%n", failedAfter / 1e6);
    }
  }

  @Test
  void healthyIdleConnectionFollowedByALongCallNeverFails() throws Exception {
    try (Tether t = Tether.launch(spec().options(TetherOptions.defaults()
        .withLiveness(Duration.ofMillis(200), Duration.ofMillis(300))).build())) {
      CrashService c = t.get(CrashService.class, "crash");
      long pid = c.pid();
      Thread.sleep(1000); // the subject: an idle spell longer than interval + timeout
      assertThat(c.block(1500)).isEqualTo(pid);
      assertThat(t.supervision().orElseThrow().restarts()).isZero();
    }
  }
}
