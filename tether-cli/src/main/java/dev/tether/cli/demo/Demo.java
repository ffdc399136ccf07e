package dev.tether.cli.demo;

import dev.tether.CallCancelledException;
import dev.tether.CancelResult;
import dev.tether.CancelScope;
import dev.tether.Cancellation;
import dev.tether.OrphanedCall;
import dev.tether.Tether;
import dev.tether.TetherAdmin;
import dev.tether.WorkerSpec;
import dev.tether.cli.Units;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The demo: launches a worker JVM, calls it, cancels calls the COM way (cooperative, stubborn,
 * grace zero) and beyond (a scope cancelled before its first call, an asynchronous call, a
 * deadline across a chain of processes), supervision (a worker killed mid-call, a hung worker
 * restarted), and shuts the worker down, printing what happens with timings.
 */
public final class Demo {
  private final PrintStream out;
  private DemoService demo;
  private TetherAdmin admin;

  /** A demo that prints to {@code out}. */
  public Demo(PrintStream out) {
    this.out = out;
  }

  /** Runs every scenario; returns normally when all of them behaved as described. */
  public void run() throws Exception {
    out.println("Tether demo: an object in another JVM, calls that can always be cancelled");
    out.println();
    long t0 = System.nanoTime();
    WorkerSpec spec = WorkerSpec.builder()
        .name("demo-worker")
        .export("demo", DemoService.class, DemoServiceImpl.class)
        .build();
    try (Tether worker = Tether.launch(spec)) {
      long pid = worker.worker().orElseThrow().pid();
      out.printf("Launched worker JVM pid %d in %s, connected over %s%n%n", pid,
          Units.duration(System.nanoTime() - t0), worker.address());
      demo = worker.get(DemoService.class, "demo");
      admin = worker.get(TetherAdmin.class, TetherAdmin.NAME);
      plainCalls();
      cooperativeCancel();
      stubbornCancel();
      graceZero();
      scopeCancelledBeforeStart();
      asyncCancel();
      deadlineAcrossAChain(worker);
      new SupervisionDemo(out).run();
      t0 = System.nanoTime();
      ProcessHandle process = worker.worker().orElseThrow();
      worker.close();
      out.printf("Closed the handle: worker pid %d %s after %s%n", pid,
          process.isAlive() ? "STILL RUNNING" : "has exited",
          Units.duration(System.nanoTime() - t0));
    }
    out.println();
    new FilterScene(out).run();
    new PoolScene(out).run();
  }

  private void plainCalls() {
    out.println("1. Plain calls (round-trip time of each)");
    timed("greet(\"Ada\")", () -> demo.greet("Ada"));
    timed("greet(\"Grace\")", () -> demo.greet("Grace"));
    byte[] attachment = new byte[1024];
    Arrays.fill(attachment, (byte) 7);
    DemoService.Document doc = new DemoService.Document("notes",
        List.of("objects in another process", "calls that can be cancelled"), attachment);
    timed("summarize(3 lines + 1 KiB)", () -> demo.summarize(doc));
    long[] rtt = new long[1000];
    for (int i = 0; i < rtt.length; i++) {
      long s = System.nanoTime();
      demo.greet("x");
      rtt[i] = System.nanoTime() - s;
    }
    Arrays.sort(rtt);
    out.printf("   1000 more greet calls: median %s, p99 %s%n%n", Units.duration(rtt[500]),
        Units.duration(rtt[990]));
  }

  private void cooperativeCancel() throws Exception {
    out.println("2. Cancel a cooperative call (COM: CoCancelCall; the server checks CoTestCancel)");
    long[] once = cancelRunningCall(Duration.ofSeconds(2));
    out.printf("   Cancellation.cancel(caller, grace 2 s) -> %s%n", CancelResult.values()[(int) once[2]]);
    out.printf("   server saw the cancel      %10s after the cancel%n", Units.duration(once[0]));
    out.printf("   caller released            %10s after the cancel: %s%n",
        Units.duration(once[1]), lastOutcome);
    new Timeline().at("caller called", last.calledNanos).at("cancel sent", lastCancelNanos)
        .at("server saw it", lastCancelNanos + once[0]).at("caller released", last.releasedNanos)
        .print(out);
    long[][] runs = repeat(300, Duration.ofSeconds(2));
    out.printf("   the same 300 more times (JIT-compiled): median server saw it after %s,"
        + " caller released after %s%n%n", Units.duration(runs[0][150]),
        Units.duration(runs[1][150]));
  }

  private String lastOutcome;
  /** The caller and cancel time of the last {@link #cancelRunningCall}, for its timeline. */
  private Caller last;
  private long lastCancelNanos;

  /**
   * Cancels a cooperative call once the worker runs it: {server saw it, caller released} in
   * nanoseconds after the cancel, and the ordinal of the cancel's result.
   */
  private long[] cancelRunningCall(Duration grace) throws Exception {
    int before = demo.cooperativeStarted();
    Caller c = Caller.start(() -> demo.cooperativeWork(60_000));
    while (demo.cooperativeStarted() == before) {
      Thread.onSpinWait(); // until the worker runs it (a cancel before that skips the method)
    }
    long t0 = System.nanoTime();
    CancelResult r = Cancellation.cancel(c.thread, grace);
    Object outcome = c.await();
    lastOutcome = describe(outcome);
    last = c;
    lastCancelNanos = t0;
    long seen = grace.isZero() ? 0 : demo.lastCancelSeenNanos() - t0;
    return new long[] {seen, c.releasedNanos - t0, r.ordinal()};
  }

  /** Repeats {@link #cancelRunningCall}: sorted latencies {server saw it[], caller released[]}. */
  private long[][] repeat(int n, Duration grace) throws Exception {
    long[][] out = new long[2][n];
    for (int i = 0; i < n; i++) {
      long[] r = cancelRunningCall(grace);
      out[0][i] = r[0];
      out[1][i] = r[1];
    }
    Arrays.sort(out[0]);
    Arrays.sort(out[1]);
    return out;
  }

  /**
   * Starts an uncooperative call and returns once the worker runs it: a cancel that reached the
   * worker before the call would skip the method and be acknowledged at once.
   */
  private Caller startStubborn(long millis) throws InterruptedException {
    int before = demo.stubbornStarted();
    Caller c = Caller.start(() -> demo.stubbornWork(millis));
    while (demo.stubbornStarted() == before) {
      Thread.onSpinWait();
    }
    return c;
  }

  private void stubbornCancel() throws Exception {
    out.println("3. Cancel an uncooperative call (it never checks): released at the grace");
    Caller c = startStubborn(1500);
    long t0 = System.nanoTime();
    CancelResult r = Cancellation.cancel(c.thread, Duration.ofMillis(300));
    Object outcome = c.await();
    out.printf("   Cancellation.cancel(caller, grace 300 ms) -> %s%n", r);
    out.printf("   caller released            %10s after the cancel: %s%n",
        Units.duration(c.releasedNanos - t0), describe(outcome));
    new Timeline().at("caller called", c.calledNanos).at("cancel sent", t0)
        .at("grace ends", t0 + Duration.ofMillis(300).toNanos())
        .at("caller released", c.releasedNanos).print(out);
    List<OrphanedCall> orphans = admin.orphans();
    for (OrphanedCall o : orphans) {
      out.printf("   worker still runs it: %s, orphaned %s ago%n", o.method(),
          Units.duration(o.sinceCallerLeft().toNanos()));
    }
    timed("next call on the same connection: greet(\"again\")", () -> demo.greet("again"));
    out.println();
  }

  private void graceZero() throws Exception {
    out.println("4. Grace zero: send the cancel and release the caller at once");
    // long enough that the cancel reaches it first even on a loaded machine (a 200 ms call
    // once ended before its cancel, at load 13); the caller is released at once either way
    Caller c = startStubborn(2000);
    long t0 = System.nanoTime();
    CancelResult r = Cancellation.cancel(c.thread, Duration.ZERO);
    long returned = System.nanoTime();
    Object outcome = c.await();
    out.printf("   Cancellation.cancel(caller, ZERO) -> %s, returned after %s%n", r,
        Units.duration(returned - t0));
    out.printf("   caller released            %10s after the cancel: %s%n",
        Units.duration(c.releasedNanos - t0), describe(outcome));
    new Timeline().at("caller called", c.calledNanos).at("cancel sent", t0)
        .at("cancel returned", returned).at("caller released", c.releasedNanos).print(out);
    long[][] runs = repeat(300, Duration.ZERO);
    out.printf("   the same 300 more times (JIT-compiled): median caller released after %s%n%n",
        Units.duration(runs[1][150]));
  }

  private void scopeCancelledBeforeStart() {
    out.println("5. A cancel scope cancelled before its first call: no race, no re-cancelling timer");
    try (CancelScope scope = CancelScope.open()) {
      scope.cancel("the user pressed Cancel before the work began");
      for (String step : List.of("prepare", "convert")) {
        try {
          demo.greet(step);
          out.println("   " + step + ": ran (this must not happen)");
        } catch (CallCancelledException e) {
          out.printf("   %-8s -> CallCancelledException (%s): %s%n", step,
              e.outcome().name().toLowerCase(), e.reason());
        }
      }
    }
    out.println("   (COM's CoCancelCall would have found no pending call and done nothing)");
    out.println();
  }

  private void asyncCancel() throws Exception {
    out.println("6. An asynchronous call, cancelled through its future");
    long called = System.nanoTime();
    CompletableFuture<Long> f = demo.cooperativeWorkAsync(60_000);
    long[] completed = new long[1];
    CompletableFuture<?> done = f.handle((v, t) -> completed[0] = System.nanoTime());
    Thread.sleep(100); // let the work get going in the worker
    long t0 = System.nanoTime();
    CancelResult r = Cancellation.cancel(f, Duration.ofSeconds(2));
    long returned = System.nanoTime();
    out.printf("   Cancellation.cancel(future, grace 2 s) -> %s after %s%n", r,
        Units.duration(returned - t0));
    try {
      f.join();
    } catch (java.util.concurrent.CompletionException e) {
      out.printf("   the future completed with %s%n", describe(e.getCause()));
    }
    done.join();
    new Timeline().at("call made", called).at("cancel sent", t0)
        .at("server saw it", demo.lastCancelSeenNanos()).at("future completed", completed[0])
        .print(out);
    out.println();
  }

  private void deadlineAcrossAChain(Tether first) throws Exception {
    out.println("7. A timeout that travels: client -> worker A -> worker B, 300 ms for the whole chain");
    WorkerSpec spec = WorkerSpec.builder().name("demo-worker-b")
        .export("demo", DemoService.class, DemoServiceImpl.class).build();
    try (Tether second = Tether.launch(spec)) {
      DemoService b = second.get(DemoService.class, "demo");
      demo.relay(List.of(second.address()), 1); // connect A to B before timing anything
      long t0 = System.nanoTime();
      Object outcome;
      try {
        outcome = CancelScope.callWithTimeout(Duration.ofMillis(300),
            () -> demo.relay(List.of(second.address()), 60_000));
      } catch (CallCancelledException e) {
        outcome = e;
      }
      long released = System.nanoTime();
      long bSaw = b.lastCancelSeenNanos();
      long aSaw = demo.lastCancelSeenNanos();
      out.printf("   worker B (pid %d), running the work, saw the deadline pass  +%s%n",
          second.worker().orElseThrow().pid(), Units.duration(bSaw - t0));
      out.printf("   worker A (pid %d), waiting on B, saw its call to B end       +%s%n",
          first.worker().orElseThrow().pid(), Units.duration(aSaw - t0));
      out.printf("   the client was released                                     +%s: %s%n",
          Units.duration(released - t0), describe(outcome));
      new Timeline().at("client called A", t0)
          .at("deadline", t0 + Duration.ofMillis(300).toNanos()).at("B saw it", bSaw)
          .at("A saw it", aSaw).at("client released", released).print(out);
      out.println();
    }
  }

  private void timed(String what, java.util.function.Supplier<Object> call) {
    long s = System.nanoTime();
    Object result = call.get();
    long took = System.nanoTime() - s;
    out.printf("   %-50s %10s  -> %s%n", what, Units.duration(took), result);
  }

  private static String describe(Object outcome) {
    if (outcome instanceof CallCancelledException e) {
      return e.getClass().getSimpleName() + " (" + e.outcome().name().toLowerCase() + ")";
    }
    return outcome instanceof Throwable t ? t.toString() : "returned " + outcome;
  }
}
