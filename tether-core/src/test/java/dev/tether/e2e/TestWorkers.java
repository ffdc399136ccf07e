package dev.tether.e2e;

import dev.tether.Tether;
import dev.tether.WorkerSpec;
import dev.tether.fixtures.EchoService;
import dev.tether.fixtures.EchoServiceImpl;
import dev.tether.fixtures.SleepService;
import java.time.Duration;

/** Launches the worker processes the end-to-end tests call. */
public final class TestWorkers {
  private TestWorkers() {}

  public static WorkerSpec.Builder echoSpec() {
    return WorkerSpec.builder()
        .name("echo-worker")
        .export("echo", EchoService.class, EchoServiceImpl.class)
        .export("sleep", SleepService.class, SleepService.Impl.class)
        .jvmArgs("-Xss512k", "-XX:TieredStopAtLevel=1", "-Xshare:auto")
        .startTimeout(Duration.ofSeconds(60))
        .forwardOutput(false);
  }

  public static Tether launchEcho() {
    return Tether.launch(echoSpec().build());
  }
}
