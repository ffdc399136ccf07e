package dev.tether.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.lang.reflect.Constructor;
import java.util.Locale;

/**
 * One JVM of {@link CancelAbBench}: the client of one Tether system (its server or worker in a
 * JVM of its own, started as {@code ./tether bench} starts it) that measures the hot
 * {@code cancel_release} and {@code cancel_observe} rows in short blocks, with the very code of
 * those rows: {@link Measure#cancelLatency(BenchPlan, StartSignal, Measure.CancelProbe)} with
 * {@link TetherBench}'s own probes (its private {@code ReleaseProbe} and {@code ObserveProbe},
 * made by reflection), so the same calls, server methods and start signal.
 *
 * <p>Protocol (standard input and output, one line each): after its warm-up blocks it prints
 * {@code READY}; each {@code BLOCK n} measures one block of each row ({@code cancel_release}
 * first), every block {@code SAMPLES} timed cancels after the plan's untimed ones, and prints
 * {@code CANCEL} and, per row, its p50, p99 and p99.9 in microseconds and the percentage of
 * samples above {@link #SLOW_NANOS}; {@code QUIT} ends it. It uses only what the bench of commit
 * {@code ba0dc64} already had ({@link BenchMain#create}, {@link BenchPlan#of},
 * {@link SystemBench#start}, the protected {@code signal}, those probes, {@link Histogram}), so its
 * class, put first on the class path before an older build's jar, runs that build whole.
 */
public final class CancelAbPeer {
  /** A sample above this is in the slow mode (the hot rows' fast samples are tens of us). */
  static final long SLOW_NANOS = 500_000;

  private CancelAbPeer() {}

  /** Entry point: {@code SYSTEM SAMPLES WARMUP_BLOCKS}. */
  public static void main(String[] args) throws Exception {
    String system = args[0];
    int samples = Integer.parseInt(args[1]);
    int warmupBlocks = Integer.parseInt(args[2]);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    // the quick plan: 20 untimed cancels before each block's samples
    BenchPlan plan = BenchPlan.of(true, samples);
    SystemBench bench = BenchMain.create(system, plan);
    try {
      bench.signal = StartSignal.create();
      bench.start();
      Measure.CancelProbe release = probe(bench, "ReleaseProbe");
      Measure.CancelProbe observe = probe(bench, "ObserveProbe");
      for (int i = 0; i < warmupBlocks; i++) {
        block(plan, bench, release, observe);
      }
      out.println("READY");
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
          StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null && !line.equals("QUIT");
          line = in.readLine()) {
        StringBuilder sb = new StringBuilder("CANCEL");
        for (double v : block(plan, bench, release, observe)) {
          sb.append(String.format(Locale.ROOT, " %.3f", v));
        }
        out.println(sb);
      }
    } finally {
      bench.close();
    }
    System.exit(0);
  }

  /** {@link TetherBench}'s private probe class {@code name}, for {@code bench}. */
  private static Measure.CancelProbe probe(SystemBench bench, String name) throws Exception {
    Constructor<?> c = Class.forName(TetherBench.class.getName() + "$" + name)
        .getDeclaredConstructor(TetherBench.class);
    c.setAccessible(true);
    return (Measure.CancelProbe) c.newInstance(bench);
  }

  /** One block of each row: per row p50, p99, p99.9 (us) and the slow samples' percentage. */
  private static double[] block(BenchPlan plan, SystemBench bench, Measure.CancelProbe release,
      Measure.CancelProbe observe) throws Exception {
    double[] v = new double[8];
    figures(Measure.cancelLatency(plan, bench.signal, release).histogram(), v, 0);
    figures(Measure.cancelLatency(plan, bench.signal, observe).histogram(), v, 4);
    return v;
  }

  private static void figures(Histogram h, double[] into, int at) {
    into[at] = h.percentile(50) / 1e3;
    into[at + 1] = h.percentile(99) / 1e3;
    into[at + 2] = h.percentile(99.9) / 1e3;
    into[at + 3] = 100.0 - percentBelow(h, SLOW_NANOS);
  }

  /** The percentile (0 to 100) at which {@code h} reaches {@code nanos}, by bisection. */
  private static double percentBelow(Histogram h, long nanos) {
    double lo = 0;
    double hi = 100;
    if (h.percentile(100) <= nanos) {
      return 100;
    }
    for (int i = 0; i < 30; i++) {
      double mid = (lo + hi) / 2;
      if (h.percentile(mid) <= nanos) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
