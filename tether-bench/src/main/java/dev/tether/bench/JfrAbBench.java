package dev.tether.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JFR's cost as a same-run A/B (issue 13): one JVM per {@link JfrAbPeer.Setting} (each a server
 * and its client), every recording on for the JVM's whole life, started before its warm-up as a
 * user leaves it on, so no recording starts or stops while timing and no mode's code is compiled
 * for another mode. Every JVM gets the same calls and the same warm-up. Then the JVMs are timed
 * in short blocks, one JVM at a time (the others wait on a pipe), in an order that rotates every
 * round; each round gives one ratio per setting, the block's p50 over the p50 of the block of the
 * JVM without a recording in the same round. Reported: the median of those ratios and their
 * quartiles, so a few rounds disturbed by the machine do not move the result. A second JVM
 * without a recording ({@code off_twin}) is the A/A control: its ratio is the method's own bias
 * and noise between JVMs; the every-call row shows that the method sees a real cost.
 *
 * <p>Run: {@code java -cp tether-bench/target/tether-bench-all.jar dev.tether.bench.JfrAbBench
 * [--quick] [--rounds N] [--block N]}. Prints a markdown table and one
 * {@code JFRAB setting median p25 p75} line per setting. Not thread-safe.
 */
public final class JfrAbBench {
  private final int rounds;
  private final int block;
  private final int warmup;
  private final PrintStream progress;

  JfrAbBench(int rounds, int block, int warmup, PrintStream progress) {
    this.rounds = rounds;
    this.block = block;
    this.warmup = warmup;
    this.progress = progress;
  }

  /** Entry point: {@code [--quick] [--rounds N] [--block N] [--warmup N]}. */
  public static void main(String[] args) throws Exception {
    List<String> a = List.of(args);
    boolean quick = a.contains("--quick");
    int rounds = intArg(a, "--rounds", quick ? 4 : 200);
    int block = intArg(a, "--block", quick ? 200 : 2_000);
    int warmup = intArg(a, "--warmup", quick ? 2_000 : 100_000);
    System.out.print(new JfrAbBench(rounds, block, warmup, System.err).run());
    System.out.flush();
    System.exit(0);
  }

  private static int intArg(List<String> args, String name, int dflt) {
    int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? Integer.parseInt(args.get(i + 1)) : dflt;
  }

  /** Starts the JVMs, times the rounds and returns the report. */
  String run() throws Exception {
    JfrAbPeer.Setting[] settings = JfrAbPeer.Setting.values();
    Map<JfrAbPeer.Setting, BlockPeer> peers = new EnumMap<>(JfrAbPeer.Setting.class);
    try {
      for (JfrAbPeer.Setting s : settings) { // one at a time: warm-ups do not share the CPU
        progress.println("jfr a/b: starting and warming up " + name(s));
        peers.put(s, start(s, warmup));
      }
      Map<JfrAbPeer.Setting, double[]> ratios = new EnumMap<>(JfrAbPeer.Setting.class);
      Map<JfrAbPeer.Setting, long[]> p50s = new EnumMap<>(JfrAbPeer.Setting.class);
      for (JfrAbPeer.Setting s : settings) {
        ratios.put(s, new double[rounds]);
        p50s.put(s, new long[rounds]);
      }
      for (int r = 0; r < rounds; r++) {
        if (r % 20 == 0) {
          progress.println("jfr a/b: round " + (r + 1) + " of " + rounds);
        }
        for (int k = 0; k < settings.length; k++) {
          JfrAbPeer.Setting s = settings[(r + k) % settings.length];
          p50s.get(s)[r] = Long.parseLong(peers.get(s).block(block, "P50"));
        }
        double base = p50s.get(JfrAbPeer.Setting.OFF)[r];
        for (JfrAbPeer.Setting s : settings) {
          ratios.get(s)[r] = p50s.get(s)[r] / base;
        }
      }
      return report(p50s, ratios);
    } finally {
      for (BlockPeer p : peers.values()) {
        p.close();
      }
    }
  }

  private String report(Map<JfrAbPeer.Setting, long[]> p50s,
      Map<JfrAbPeer.Setting, double[]> ratios) {
    StringBuilder sb = new StringBuilder();
    sb.append("# JFR cost, same-run A/B (").append(rounds).append(" rounds x ").append(block)
        .append(" round trips per JVM, one JVM per setting)\n\n");
    sb.append("| setting | median block p50 µs | ratio vs off: median | p25 | p75 |\n")
        .append("|---|---:|---:|---:|---:|\n");
    List<String> lines = new ArrayList<>();
    for (JfrAbPeer.Setting s : JfrAbPeer.Setting.values()) {
      double[] r = ratios.get(s).clone();
      Arrays.sort(r);
      long[] p = p50s.get(s).clone();
      Arrays.sort(p);
      sb.append(String.format(Locale.ROOT, "| %s | %.2f | %+.1f %% | %+.1f %% | %+.1f %% |%n",
          name(s), p[p.length / 2] / 1000.0, pct(quantile(r, 0.5)), pct(quantile(r, 0.25)),
          pct(quantile(r, 0.75))));
      lines.add(String.format(Locale.ROOT, "JFRAB %s %.4f %.4f %.4f", name(s), quantile(r, 0.5),
          quantile(r, 0.25), quantile(r, 0.75)));
    }
    sb.append('\n').append(String.join("\n", lines)).append('\n');
    return sb.toString();
  }

  private static double pct(double ratio) {
    return (ratio - 1) * 100;
  }

  /** The {@code q} quantile of sorted {@code v}, by linear interpolation. */
  static double quantile(double[] v, double q) {
    return ThroughputAbBench.quantile(v, q);
  }

  private static String name(JfrAbPeer.Setting s) {
    return s.name().toLowerCase(Locale.ROOT);
  }

  /** Starts the JVM of setting {@code s}, warmed up with {@code warmup} round trips. */
  private static BlockPeer start(JfrAbPeer.Setting s, int warmup) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ServerProcess.javaExecutable());
    cmd.add("-Xms256m");
    cmd.add("-Xmx256m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(JfrAbPeer.class.getName());
    cmd.add(name(s));
    cmd.add(Integer.toString(warmup));
    return BlockPeer.start(name(s), cmd);
  }
}
