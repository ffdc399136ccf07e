package dev.tether.cli.demo;

import dev.tether.CancelScope;
import dev.tether.SupervisionPolicy;
import dev.tether.SupervisionStats;
import dev.tether.Tether;
import dev.tether.TetherException;
import dev.tether.WorkerSpec;
import dev.tether.cli.Units;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The supervision part of the demo: a worker killed mid-call (the call fails at once, naming the
 * signal) and a hung worker restarted by the policy while the caller's next call succeeds, both
 * through the same proxy.
 */
final class SupervisionDemo {
  private final PrintStream out;

  SupervisionDemo(PrintStream out) {
    this.out = out;
  }

  void run() throws Exception {
    out.println("8. Supervision: a worker that dies or hangs is replaced; the proxy keeps working");
    SupervisionPolicy policy = SupervisionPolicy.builder()
        .onHungCall(Duration.ofMillis(500), SupervisionPolicy.HungAction.RESTART)
        .backoff(Duration.ofMillis(20), Duration.ofSeconds(1))
        .stopTimeout(Duration.ofMillis(500))
        .build();
    WorkerSpec spec = WorkerSpec.builder().name("demo-supervised")
        .export("demo", DemoService.class, DemoServiceImpl.class)
        .supervision(policy).build();
    try (Tether worker = Tether.launch(spec)) {
      DemoService demo = worker.get(DemoService.class, "demo");
      demo.greet("warm-up");
      killedMidCall(worker, demo);
      hungAndRestarted(worker, demo);
      SupervisionStats s = worker.supervision().orElseThrow();
      out.printf("   supervision: %s, %d restarts (%d crash, %d hung kill); history:%n",
          s.state(), s.restarts(), s.crashes(), s.hungKills());
      s.history().forEach(e -> out.printf("     %s %-13s pid %d: %s%n",
          e.at().toString().substring(11, 23), e.kind(), e.pid(), firstLine(e.detail())));
      out.println();
    }
  }

  private void killedMidCall(Tether worker, DemoService demo) throws Exception {
    ProcessHandle process = worker.worker().orElseThrow();
    Caller c = Caller.start(() -> demo.stubbornWork(60_000));
    long t0 = System.nanoTime();
    process.destroyForcibly();
    Object outcome = c.await();
    out.printf("   kill -9 of worker pid %d during a call: the caller was released after %s:%n",
        process.pid(), Units.duration(c.releasedNanos - t0));
    out.printf("     %s%n", firstLine(outcome.toString()));
    long t1 = System.nanoTime();
    Object pid = demo.summarize(new DemoService.Document("after", java.util.List.of("x"),
        new byte[0])).workerPid();
    out.printf("   next call through the same proxy: served by the new worker pid %s after %s"
        + " (restart included)%n", pid, Units.duration(System.nanoTime() - t1));
  }

  private void hungAndRestarted(Tether worker, DemoService demo) {
    long pid = worker.worker().orElseThrow().pid();
    long t0 = System.nanoTime();
    try (CancelScope scope = CancelScope.builder().timeout(Duration.ofMillis(200))
        .grace(Duration.ofMillis(100)).open()) {
      demo.stubbornWork(600_000);
    } catch (TetherException e) {
      out.printf("   an uncooperative call timed out: caller released after %s (%s)%n",
          Units.duration(System.nanoTime() - t0), e.getClass().getSimpleName());
    }
    long t1 = System.nanoTime();
    while (worker.worker().map(ProcessHandle::pid).orElse(pid) == pid
        && System.nanoTime() - t1 < TimeUnit.SECONDS.toNanos(30)) {
      try {
        demo.greet("still there?"); // served by the old worker until it is killed
      } catch (TetherException e) {
        out.printf("   a call in flight when the worker was killed: %s%n", firstLine(e.toString()));
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    String answer = demo.greet("after the restart");
    out.printf("   the worker still ran it 500 ms later: killed as hung (pid %d), and the caller's"
        + " next call succeeded %s after its release: %s%n", pid,
        Units.duration(System.nanoTime() - t1), answer);
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    int tail = line.indexOf("; its stderr ended with:");
    return tail < 0 ? line : line.substring(0, tail);
  }
}
