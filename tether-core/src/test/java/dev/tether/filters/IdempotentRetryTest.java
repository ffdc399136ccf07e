package dev.tether.filters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tether.ErrorCode;
import dev.tether.RetryPolicy;
import dev.tether.Tether;
import dev.tether.TetherException;
import dev.tether.TetherOptions;
import dev.tether.WorkerSpec;
import dev.tether.fixtures.CrashOnce;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a dispatched attempt fails without an answer (the worker process crashed while running
 * the method, a real process and a real exit), an {@code @Idempotent} method is retried on the
 * restarted worker; any other method never is, even under a policy that would retry busy calls.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IdempotentRetryTest {
  @TempDir
  Path dir;

  private static Tether launch() {
    return Tether.launch(WorkerSpec.builder().name("crash-once")
        .export("crash", CrashOnce.class, CrashOnce.Impl.class)
        .jvmArgs("-Xss512k", "-XX:TieredStopAtLevel=1", "-Xshare:auto")
        .startTimeout(Duration.ofSeconds(60)).forwardOutput(false)
        .options(TetherOptions.defaults().withRetryPolicy(RetryPolicy.defaults()
            .withMaxAttempts(3).withBackoff(Duration.ofMillis(10), Duration.ofMillis(10), 1)))
        .build());
  }

  @Test
  void anIdempotentMethodIsRetriedAfterADispatchedFailure() throws Exception {
    Path file = dir.resolve("idempotent.txt");
    try (Tether worker = launch()) {
      CrashOnce crash = worker.get(CrashOnce.class, "crash");

      assertThat(crash.idempotent(file.toString())).as("the retry's run is the second")
          .isEqualTo(2);
    }
    assertThat(Files.readAllLines(file)).as("ran twice: crashed, then retried").hasSize(2);
  }

  @Test
  void aMethodNotMarkedIdempotentIsNeverRetriedAfterADispatchedFailure() throws Exception {
    Path file = dir.resolve("plain.txt");
    try (Tether worker = launch()) {
      CrashOnce crash = worker.get(CrashOnce.class, "crash");

      TetherException e = catchThrowableOfType(TetherException.class,
          () -> crash.notIdempotent(file.toString()));

      assertThat(e.code()).isEqualTo(ErrorCode.WORKER_CRASHED);
    }
    assertThat(Files.readAllLines(file)).as("ran once, never again").hasSize(1);
  }
}
