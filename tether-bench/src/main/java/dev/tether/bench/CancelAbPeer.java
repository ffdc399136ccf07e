package dev.tether.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * One JVM of {@link CancelAbBench}: the client of one Tether system (its server or worker in a
 * JVM of its own, started as {@code ./tether bench} starts it) that measures the hot
 * {@code cancel_release} and {@code cancel_observe} rows in short blocks, with the very code of
 * those rows ({@link SystemBench#measure} of {@link Metric#CANCEL_RELEASE} and
 * {@link Metric#CANCEL_OBSERVE}, so the same probes, server methods and start signal).
 *
 * <p>Protocol (standard input and output, one line each): after its warm-up blocks it prints
 * {@code READY}; each {@code BLOCK n} measures one block of each row ({@code cancel_release}
 * first), every block {@code SAMPLES} timed cancels after the plan's untimed ones, and prints
 * {@code CANCEL releaseP50 releaseP99 observeP50 observeP99} in microseconds; {@code QUIT} ends
 * it. It uses only what the bench of commit {@code ba0dc64} already had ({@link BenchMain#create},
 * {@link BenchPlan#of}, {@link SystemBench#start}, the protected {@code signal}, {@link Row}), so
 * its class, put first on the class path before an older build's jar, runs that build whole.
 */
public final class CancelAbPeer {
  private CancelAbPeer() {}

  /** Entry point: {@code SYSTEM SAMPLES WARMUP_BLOCKS}. */
  public static void main(String[] args) throws Exception {
    String system = args[0];
    int samples = Integer.parseInt(args[1]);
    int warmupBlocks = Integer.parseInt(args[2]);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    // the quick plan: 20 untimed cancels before each block's samples
    SystemBench bench = BenchMain.create(system, BenchPlan.of(true, samples));
    try {
      bench.signal = StartSignal.create();
      bench.start();
      for (int i = 0; i < warmupBlocks; i++) {
        block(bench);
      }
      out.println("READY");
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
          StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null && !line.equals("QUIT");
          line = in.readLine()) {
        double[] v = block(bench);
        out.println(String.format(Locale.ROOT, "CANCEL %.3f %.3f %.3f %.3f", v[0], v[1], v[2],
            v[3]));
      }
    } finally {
      bench.close();
    }
    System.exit(0);
  }

  /** One block of each row: {release p50, release p99, observe p50, observe p99} in us. */
  private static double[] block(SystemBench bench) throws Exception {
    Row release = row(bench, Metric.CANCEL_RELEASE);
    Row observe = row(bench, Metric.CANCEL_OBSERVE);
    return new double[] {release.p50(), release.p99(), observe.p50(), observe.p99()};
  }

  private static Row row(SystemBench bench, Metric m) throws Exception {
    List<Row> rows = bench.measure(m);
    for (Row r : rows) {
      if (r.metric() == m && r.measured()) {
        return r;
      }
    }
    throw new IllegalStateException(m + " was not measured: " + rows);
  }
}
