package dev.tether.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * How the cost of Tether and its peers grows as their work grows (issue 14's scaling table),
 * each system's server in its own JVM, one client connection (channel, launcher, stub) in this
 * JVM, systems one after the other: throughput and latency percentiles with 1 to 256 caller
 * threads; the round trip while 0, 100 and 10,000 other calls are pending on the same connection;
 * and {@code cancel_10k}'s cancel of all pending calls at 1,000, 10,000 and 100,000 calls, with
 * the cost per cancelled call. The same workload for every system: the calls of
 * {@code throughput_16} and {@code cancel_10k} ({@link SystemBench#scaleTarget()}). RMI has no
 * asynchronous calls and no cancellation, so it has only the first table. Tether's server allows
 * 200,000 calls per connection here (its default is lower). Memory and threads per idle
 * connection are measured by {@code IdleConnectionsFootprintTest} (see BENCHMARKS.md).
 *
 * <p>Run: {@code java -cp tether-bench/target/tether-bench-all.jar dev.tether.bench.ScaleBench
 * [--quick] [--only tether-tcp,grpc,lsp4j,rmi]}. Prints markdown tables. Absolute figures move
 * with the machine's load; read the shapes (how a figure grows from one column to the next) and
 * compare systems within one run.
 */
public final class ScaleBench {
  /** Server JVM property: the per-connection call limit ({@code maxCallsPerConnection}). */
  static final String MAX_CALLS_PROPERTY = "tether.bench.maxCallsPerConnection";

  /** The systems of the tables, in order. */
  static final List<String> SYSTEMS = List.of("tether-tcp", "grpc", "lsp4j", "rmi");
  static final int[] CALLERS = {1, 4, 16, 64, 256};
  static final int[] PENDING = {0, 100, 10_000};
  static final int[] CANCELLED = {1_000, 10_000, 100_000};

  private final boolean quick;
  private final List<String> systems;

  ScaleBench(boolean quick) {
    this(quick, SYSTEMS);
  }

  ScaleBench(boolean quick, List<String> systems) {
    this.quick = quick;
    this.systems = List.copyOf(systems);
  }

  /** Entry point: {@code [--quick] [--only SYSTEM,...]}. */
  public static void main(String[] args) throws Exception {
    List<String> a = List.of(args);
    boolean quick = a.contains("--quick");
    int only = a.indexOf("--only");
    List<String> systems = only >= 0 && only + 1 < a.size()
        ? List.of(a.get(only + 1).split(",")) : SYSTEMS;
    System.out.print(new ScaleBench(quick, systems).run());
    System.exit(0);
  }

  /** Runs every section for every system and returns the markdown. */
  String run() throws Exception {
    System.setProperty(MAX_CALLS_PROPERTY, Integer.toString(2 * CANCELLED[2]));
    BenchPlan plan = BenchPlan.of(quick, 0);
    StringBuilder callers = new StringBuilder(
        "| system | callers | calls/s | p50 us | p99 us | calls |\n|---|---:|---:|---:|---:|---:|\n");
    StringBuilder pending = new StringBuilder("| system | other calls pending | rtt p50 us "
        + "| rtt p99 us | samples |\n|---|---:|---:|---:|---:|\n");
    StringBuilder cancelled = new StringBuilder("| system | calls cancelled | release ms (p50) "
        + "| observe ms (p50) | release us per call | observe us per call "
        + "| client bytes per pending call | rounds |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (String system : systems) {
      try (SystemBench bench = BenchMain.create(system, plan)) {
        bench.open();
        SystemBench.ScaleTarget target = bench.scaleTarget();
        if (target == null) {
          throw new IllegalArgumentException(system + " is not in the scaling tables");
        }
        for (int i = 0; i < plan.warmup(); i++) { // the same warm-up calls for every system
          target.echo().call(); // (gRPC's first calls take seconds: channel, classes, JIT)
        }
        callers(system, target.echo(), callers);
        if (target.pending() != null) {
          pending(system, target, pending);
          cancelled(system, target, cancelled);
        }
      } catch (Exception e) {
        callers.append("| ").append(system).append(" | error: ").append(e).append(" | | | | |\n");
      }
    }
    return "# Scaling (" + String.join(", ", systems) + ")" + (quick ? " (--quick)" : "")
        + "\n\n" + callers + "\n" + pending + "\n" + cancelled + "\n";
  }

  private long warmMillis() {
    return quick ? 200 : 2_000;
  }

  private long measureMillis() {
    return quick ? 300 : 5_000;
  }

  /** Throughput and latency percentiles with {@code n} closed-loop callers on one connection. */
  private void callers(String system, Measure.Call echo, StringBuilder out) throws Exception {
    for (int n : CALLERS) {
      AtomicBoolean counting = new AtomicBoolean();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      LongAdder completed = new LongAdder();
      List<Histogram> hs = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Histogram h = new Histogram();
        hs.add(h);
        threads.add(Thread.ofPlatform().daemon().name("scale-caller-" + i).start(() -> {
          try {
            while (!stop.get()) {
              long t0 = System.nanoTime();
              echo.call();
              long t = System.nanoTime() - t0;
              if (counting.get()) {
                h.add(t);
                completed.increment();
              }
            }
          } catch (Throwable t) {
            failure.compareAndSet(null, t);
            stop.set(true);
          }
        }));
      }
      Thread.sleep(warmMillis());
      counting.set(true);
      long t0 = System.nanoTime();
      Thread.sleep(measureMillis());
      Measure.awaitFirstCall(completed, failure, t0); // no sample seen in CI under load
      counting.set(false);
      long elapsed = System.nanoTime() - t0;
      stop.set(true);
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(30));
      }
      if (failure.get() != null) {
        throw new IllegalStateException("a caller failed: " + failure.get(), failure.get());
      }
      Histogram all = new Histogram();
      for (Histogram h : hs) {
        for (int i = 0; i < h.count(); i++) {
          all.add(h.sample(i));
        }
      }
      out.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.2f | %.2f | %d |%n", system,
          n, all.count() * 1e9 / elapsed, all.percentile(50) / 1e3, all.percentile(99) / 1e3,
          all.count()));
    }
  }

  /**
   * The round trip of {@code echo} while {@code n} other calls are pending on the connection:
   * {@code n} calls of {@code cancel_10k}'s probe started, then cancelled after the samples.
   */
  private void pending(String system, SystemBench.ScaleTarget target, StringBuilder out)
      throws Exception {
    BenchPlan plan = new BenchPlan(quick, quick ? 500 : 50_000, quick ? 200 : 20_000, 0, 0, 0, 0);
    for (int n : PENDING) {
      Measure.PendingProbe probe = target.pending().get();
      probe.reset(n);
      java.util.concurrent.atomic.AtomicInteger released =
          new java.util.concurrent.atomic.AtomicInteger();
      for (int i = 0; i < n; i++) {
        probe.start(released::incrementAndGet);
      }
      Measure.waitFor(() -> progress(probe).started() >= n, n + " calls to start");
      Histogram h = Measure.latency(plan, target.echo());
      probe.cancelAll();
      Measure.waitFor(() -> progress(probe).observed() >= n, n + " cancels to arrive");
      probe.clear();
      out.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %d |%n", system, n,
          h.percentile(50) / 1e3, h.percentile(99) / 1e3, h.count()));
    }
  }

  /** {@code cancel_10k} at several sizes: every pending call cancelled through its future. */
  private void cancelled(String system, SystemBench.ScaleTarget target, StringBuilder out)
      throws Exception {
    Measure.PendingProbe probe = target.pending().get();
    int warm = quick ? 0 : 3;
    int rounds = quick ? 1 : 5;
    for (int n : CANCELLED) {
      for (int i = 0; i < warm; i++) {
        Measure.pendingRound(n, probe);
      }
      Histogram release = new Histogram();
      Histogram observe = new Histogram();
      double bytes = 0;
      for (int i = 0; i < rounds; i++) {
        double[] r = Measure.pendingRound(n, probe);
        release.add((long) r[0]);
        observe.add((long) r[1]);
        bytes += r[2];
      }
      double rel = release.percentile(50) / 1e6;
      double obs = observe.percentile(50) / 1e6;
      out.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.2f | %.2f | %.0f | %d |%n",
          system, n, rel, obs, rel * 1e3 / n, obs * 1e3 / n, bytes / rounds, rounds));
    }
  }

  private static CancelProgress progress(Measure.PendingProbe probe) {
    try {
      return probe.progress();
    } catch (Exception e) {
      throw new IllegalStateException("reading the server's cancel count failed: " + e, e);
    }
  }
}
