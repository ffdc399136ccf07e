package dev.tether.bench;

import dev.tether.Tether;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How Tether's cost grows as its work grows (issue 14's scaling table), over loopback TCP to a
 * {@code TetherServer} in its own JVM (default options, the per-connection call limit raised so
 * that 100,000 calls may be pending): throughput and p99 with 1 to 256 caller threads on one
 * connection; the round trip while 0, 100 and 10,000 other calls are pending on the same
 * connection; and {@code cancel_10k}'s cancel of all pending calls at 1,000, 10,000 and 100,000
 * calls, with the cost per cancelled call. Memory and threads per idle connection are measured
 * by {@code IdleConnectionsFootprintTest} (see BENCHMARKS.md).
 *
 * <p>Run: {@code java -cp tether-bench/target/tether-bench-all.jar dev.tether.bench.ScaleBench
 * [--quick]}. Prints markdown tables. Absolute figures move with the machine's load; read the
 * shapes (how a figure grows from one column to the next), which come from one run.
 */
public final class ScaleBench {
  /** Server JVM property: the per-connection call limit ({@code maxCallsPerConnection}). */
  static final String MAX_CALLS_PROPERTY = "tether.bench.maxCallsPerConnection";

  static final int[] CALLERS = {1, 4, 16, 64, 256};
  static final int[] PENDING = {0, 100, 10_000};
  static final int[] CANCELLED = {1_000, 10_000, 100_000};

  private final boolean quick;

  ScaleBench(boolean quick) {
    this.quick = quick;
  }

  /** Entry point: {@code [--quick]}. */
  public static void main(String[] args) throws Exception {
    boolean quick = List.of(args).contains("--quick");
    System.out.print(new ScaleBench(quick).run());
    System.exit(0);
  }

  /** Runs every section and returns the markdown. */
  String run() throws Exception {
    StringBuilder out = new StringBuilder("# Tether scaling (tether-tcp)" + (quick ? " (--quick)"
        : "") + "\n\n");
    List<String> args = List.of("-D" + MAX_CALLS_PROPERTY + "=" + 2 * CANCELLED[2]);
    try (ServerProcess server = ServerProcess.start("tether-tcp", 60, args);
        Tether tether = Tether.connect(server.address(), TetherBench.options())) {
      BenchService svc = tether.get(BenchService.class, "svc");
      callers(svc, out);
      pending(svc, out);
      cancelled(svc, out);
    }
    return out.toString();
  }

  private long warmMillis() {
    return quick ? 200 : 2_000;
  }

  private long measureMillis() {
    return quick ? 300 : 5_000;
  }

  /** Throughput and latency percentiles with {@code n} closed-loop callers on one connection. */
  private void callers(BenchService svc, StringBuilder out) throws Exception {
    out.append("| callers | calls/s | p50 us | p99 us | calls |\n|---:|---:|---:|---:|---:|\n");
    for (int n : CALLERS) {
      AtomicBoolean counting = new AtomicBoolean();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<Histogram> hs = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Histogram h = new Histogram();
        hs.add(h);
        threads.add(Thread.ofPlatform().daemon().name("scale-caller-" + i).start(() -> {
          try {
            while (!stop.get()) {
              long t0 = System.nanoTime();
              svc.echo(7);
              long t = System.nanoTime() - t0;
              if (counting.get()) {
                h.add(t);
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
      out.append(String.format(Locale.ROOT, "| %d | %.0f | %.2f | %.2f | %d |%n", n,
          all.count() * 1e9 / elapsed, all.percentile(50) / 1e3, all.percentile(99) / 1e3,
          all.count()));
    }
    out.append('\n');
  }

  /** The round trip of {@code echo} while {@code n} other calls are pending on the connection. */
  private void pending(BenchService svc, StringBuilder out) throws Exception {
    BenchPlan plan = new BenchPlan(quick, quick ? 500 : 50_000, quick ? 200 : 20_000, 0, 0, 0, 0);
    out.append("| other calls pending | rtt p50 us | rtt p99 us | samples |\n"
        + "|---:|---:|---:|---:|\n");
    for (int n : PENDING) {
      svc.resetCancelCount(n);
      List<CompletableFuture<Integer>> others = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        others.add(svc.awaitCancel());
      }
      Measure.waitFor(() -> svc.cancelProgress().started() >= n, n + " calls to start");
      Histogram h = Measure.latency(plan, () -> svc.echo(7));
      for (CompletableFuture<Integer> f : others) {
        f.cancel(true);
      }
      Measure.waitFor(() -> svc.cancelProgress().observed() >= n, n + " cancels to arrive");
      out.append(String.format(Locale.ROOT, "| %d | %.2f | %.2f | %d |%n", n,
          h.percentile(50) / 1e3, h.percentile(99) / 1e3, h.count()));
    }
    out.append('\n');
  }

  /** {@code cancel_10k} at several sizes: every pending call cancelled through its future. */
  private void cancelled(BenchService svc, StringBuilder out) throws Exception {
    out.append("| calls cancelled | release ms (p50) | observe ms (p50) | release us per call "
        + "| observe us per call | client bytes per pending call | rounds |\n"
        + "|---:|---:|---:|---:|---:|---:|---:|\n");
    Measure.PendingProbe probe = new Probe(svc);
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
      out.append(String.format(Locale.ROOT, "| %d | %.1f | %.1f | %.2f | %.2f | %.0f | %d |%n",
          n, rel, obs, rel * 1e3 / n, obs * 1e3 / n, bytes / rounds, rounds));
    }
    out.append('\n');
  }

  /** Asynchronous calls cancelled through their futures (as in {@code TetherBench}). */
  private static final class Probe extends FuturesProbe {
    private final BenchService svc;

    Probe(BenchService svc) {
      this.svc = svc;
    }

    @Override
    public void reset(int n) {
      svc.resetCancelCount(n);
    }

    @Override
    public void start(Runnable released) {
      CompletableFuture<Integer> f = svc.awaitCancel();
      onDone(f, released);
      track(f);
    }

    @Override
    public CancelProgress progress() {
      return svc.cancelProgress();
    }
  }
}
