package dev.tether.pool;

import dev.tether.PoolSpec;
import dev.tether.WorkerSpec;
import dev.tether.fixtures.PoolProbe;
import java.time.Duration;

/** The worker and pool specs pool tests start from: small, quick JVMs. */
public final class PoolWorkers {
  private PoolWorkers() {}

  public static WorkerSpec worker() {
    return WorkerSpec.builder()
        .name("pool-worker")
        .export("probe", PoolProbe.class, PoolProbe.Impl.class)
        .jvmArgs("-Xss512k", "-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xshare:auto")
        .startTimeout(Duration.ofSeconds(60))
        .shutdownTimeout(Duration.ofSeconds(1))
        .forwardOutput(false)
        .build();
  }

  public static PoolSpec.Builder pool() {
    return PoolSpec.builder(worker()).name("test-pool");
  }
}
