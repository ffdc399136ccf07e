package dev.tether.examples.risky;

import dev.tether.SupervisionPolicy;
import dev.tether.SupervisionPolicy.HungAction;
import dev.tether.SupervisionStats;
import dev.tether.Tether;
import dev.tether.WorkerSpec;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs the risky library in a supervised worker JVM and shows each way a call can end: a normal
 * rendering, a crash (the worker is restarted, the next call works), and an endless loop (the
 * caller is released at its timeout; the supervisor kills the hung worker and starts a new one).
 *
 * <p>Run it (JDK 21+): {@code ./mvnw -q -B -pl tether-examples -am package -DskipTests} then
 * {@code "$(.mvn/find-jdk)/bin/java" -cp tether-core/target/classes:tether-examples/target/classes
 * dev.tether.examples.risky.RiskyLibraryExample}.
 */
public final class RiskyLibraryExample {
  /** How long one rendering may take. */
  static final Duration TIMEOUT = Duration.ofMillis(500);
  /** How long a call may go on after its caller gave up before the worker counts as hung. */
  static final Duration HUNG_LIMIT = Duration.ofSeconds(2);

  private RiskyLibraryExample() {}

  /** The worker: the library exported as {@code renderer}, supervised. */
  static WorkerSpec spec() {
    return WorkerSpec.builder()
        .name("renderer")
        .export("renderer", Renderer.class, NativeRenderer.class)
        .supervision(SupervisionPolicy.builder()
            .intensity(5, Duration.ofMinutes(1))         // give up after 5 restarts in a minute
            .onHungCall(HUNG_LIMIT, HungAction.RESTART)  // a call still running 2 s after its
            .build())                                    // caller gave up: kill and restart
        .build();
  }

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    run(System.out);
  }

  /** Runs the example, printing what happens to {@code out}. */
  public static void run(PrintStream out) throws Exception {
    try (Tether worker = Tether.launch(spec())) {
      SafeRenderer renderer = new SafeRenderer(worker.get(Renderer.class, "renderer"), TIMEOUT);
      show(out, "a normal document", renderer.render("quarterly report"));
      long pid = worker.supervision().orElseThrow().pid();
      show(out, "a document that crashes the library", renderer.render("crash me"));
      // A call made while the replacement starts waits for it, and that wait counts against the
      // timeout: wait for the new worker first, as a service would before taking work again.
      out.printf("   the supervisor starts a new worker: pid %d%n", awaitNewWorker(worker, pid));
      show(out, "the next document, on a new worker", renderer.render("quarterly report"));
      pid = worker.supervision().orElseThrow().pid();
      show(out, "a document that loops forever", renderer.render("loop forever"));
      out.printf("   the stuck call runs on; %d s after the caller left, the supervisor kills"
          + " the worker: new pid %d%n", HUNG_LIMIT.toSeconds(), awaitNewWorker(worker, pid));
      show(out, "the next document, on a new worker", renderer.render("quarterly report"));
      SupervisionStats s = worker.supervision().orElseThrow();
      out.printf("Supervision: %d restarts (%d crash, %d hung kill)%n", s.restarts(), s.crashes(),
          s.hungKills());
    }
  }

  /** Waits (at most 30 s) until a worker other than {@code oldPid} serves; returns its pid. */
  private static long awaitNewWorker(Tether worker, long oldPid) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      SupervisionStats s = worker.supervision().orElseThrow();
      if (s.state() == SupervisionStats.State.RUNNING && s.pid() != oldPid && s.pid() > 0) {
        return s.pid();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("worker " + oldPid + " was not replaced within 30 s");
      }
      Thread.sleep(20); // polling a statistic for a printout, not synchronising a test
    }
  }

  private static void show(PrintStream out, String what, SafeRenderer.Outcome o) {
    out.printf("%-38s -> %s%s%n", what, o.status(), o.rendering() != null
        ? " (" + o.rendering().pages() + " page(s), worker pid " + o.rendering().workerPid() + ")"
        : ": " + o.detail().lines().findFirst().orElse(""));
  }
}
