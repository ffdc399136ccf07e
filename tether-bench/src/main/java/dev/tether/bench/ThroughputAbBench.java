package dev.tether.bench;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code throughput_16} as a same-run comparison robust to a loaded machine (issue 14): one client
 * JVM per peer ({@link ThroughputAbPeer}: 16 caller threads, one connection or stub, calling
 * {@code echo(int)}; its server in a JVM of its own), all started and warmed up first, one at a
 * time. Then the peers are timed in short blocks, one peer at a time while the others' callers
 * wait, in an order that rotates every round; each round gives one ratio per comparison (calls per
 * second of one peer's block over another's in the same round). Reported: the median of those
 * ratios and their quartiles, so rounds disturbed by the machine do not move the verdict.
 *
 * <p>Peers: the systems given ({@code tether-uds,tether-tcp,rmi} by default), a second RMI JVM
 * ({@code rmi~twin}) whose ratio to {@code rmi} is the A/A control (the method's own scatter
 * between two JVMs of the same thing), and with {@code --base-jar JAR} each Tether system again
 * with that jar first on the class path ({@code tether-tcp@base}), for an A/B of two builds of
 * Tether in the same rounds. Every peer makes the same calls with the same warm-up.
 * {@code --twin SYSTEM} makes that system's twin the A/A control instead, and {@code --pairs
 * a/b,c/d} replaces the comparisons with the ones given.
 *
 * <p>With {@code --callers 1} each block also gives its median round trip, and each comparison a
 * second ratio, of the two peers' median round trips in the same round ({@code RTTAB} lines):
 * the same-run verdict for issue 14's spin-off target, for example {@code --systems
 * tether-tcp-nospin,raw-tcp,tether-uds-nospin,raw-uds --callers 1 --twin raw-tcp --pairs
 * tether-tcp-nospin/raw-tcp,tether-uds-nospin/raw-uds,raw-tcp~twin/raw-tcp} (the raw systems'
 * blocking ping-pong serves one caller only).
 *
 * <p>Run: {@code java -cp tether-bench/target/tether-bench-all.jar
 * dev.tether.bench.ThroughputAbBench [--quick] [--rounds N] [--block MILLIS] [--warmup MILLIS]
 * [--systems a,b] [--base-jar JAR] [--callers N] [--twin SYSTEM]
 * [--pairs a/b,c/d]}.
 * The bench's {@code tether.bench.*} system properties (such as {@code tether.bench.spinNanos} or
 * {@code tether.bench.serverJvmArgs}) are passed to every peer alike. Prints a markdown table and
 * one {@code TPUTAB peer/against median p25 p75} line per comparison (calls per second, higher is
 * faster), and with one caller one {@code RTTAB} line of the same form (round trip, lower is
 * faster).
 * Not thread-safe.
 */
public final class ThroughputAbBench {
  /** The peer every system is compared with, and its A/A twin. */
  static final String RMI = "rmi";
  static final String TWIN = "~twin";
  static final String BASE = "@base";

  private final List<String> systems;
  private final String baseJar;
  private final int rounds;
  private final long blockMillis;
  private final long warmupMillis;
  private final PrintStream progress;
  private int callers = ThroughputAbPeer.CALLERS;
  private List<String[]> pairs;
  private String twin;

  ThroughputAbBench(List<String> systems, String baseJar, int rounds, long blockMillis,
      long warmupMillis, PrintStream progress) {
    this.systems = List.copyOf(systems);
    this.baseJar = baseJar;
    this.rounds = rounds;
    this.blockMillis = blockMillis;
    this.warmupMillis = warmupMillis;
    this.progress = progress;
  }

  /** Entry point; see the class comment for the options. */
  public static void main(String[] args) throws Exception {
    List<String> a = List.of(args);
    boolean quick = a.contains("--quick");
    String systems = stringArg(a, "--systems", "tether-uds,tether-tcp,rmi");
    System.out.print(new ThroughputAbBench(List.of(systems.split(",")),
        stringArg(a, "--base-jar", null), (int) longArg(a, "--rounds", quick ? 3 : 100),
        longArg(a, "--block", quick ? 100 : 300), longArg(a, "--warmup", quick ? 500 : 5_000),
        System.err).callers((int) longArg(a, "--callers", ThroughputAbPeer.CALLERS))
        .twin(stringArg(a, "--twin", null)).pairs(stringArg(a, "--pairs", null)).run());
    System.out.flush();
    System.exit(0);
  }

  private static String stringArg(List<String> args, String name, String dflt) {
    int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : dflt;
  }

  private static long longArg(List<String> args, String name, long dflt) {
    String v = stringArg(args, name, null);
    return v == null ? dflt : Long.parseLong(v);
  }

  /**
   * Caller threads per peer (16 by default); with 1, a block's calls per second is the inverse of
   * the mean round trip, for checking the single-caller path in the same rounds.
   */
  ThroughputAbBench callers(int n) {
    this.callers = n;
    return this;
  }

  /**
   * Runs {@code system} (one of the systems) in a second JVM too, {@code system~twin}, as the A/A
   * control instead of RMI's twin; null keeps RMI's (when RMI is among the systems).
   */
  ThroughputAbBench twin(String system) {
    if (system != null && !systems.contains(system)) {
      throw new IllegalArgumentException("--twin: " + system + " is not among " + systems);
    }
    this.twin = system;
    return this;
  }

  /**
   * The comparisons to report, {@code a/b} comma-separated (each peer named must be among the
   * {@link #peers()}), instead of every peer against RMI and each build against the base; null
   * keeps those.
   */
  ThroughputAbBench pairs(String spec) {
    if (spec == null) {
      this.pairs = null;
      return this;
    }
    List<String[]> p = new ArrayList<>();
    for (String pair : spec.split(",")) {
      String[] ab = pair.split("/");
      if (ab.length != 2 || !peers().contains(ab[0]) || !peers().contains(ab[1])) {
        throw new IllegalArgumentException("--pairs: '" + pair + "' is not two of the peers "
            + peers() + " as a/b");
      }
      p.add(ab);
    }
    this.pairs = p;
    return this;
  }

  /** The peers' labels, in start order: the systems, the RMI twin, then the base jar's. */
  List<String> peers() {
    List<String> peers = new ArrayList<>(systems);
    if (twin != null) {
      peers.add(twin + TWIN);
    } else if (systems.contains(RMI)) {
      peers.add(RMI + TWIN);
    }
    if (baseJar != null) {
      for (String s : systems) {
        if (s.startsWith("tether")) {
          peers.add(s + BASE);
        }
      }
    }
    return peers;
  }

  /** Pairs {numerator, denominator} of the ratios reported. */
  List<String[]> comparisons() {
    if (pairs != null) {
      return pairs;
    }
    List<String[]> c = new ArrayList<>();
    for (String p : peers()) {
      if (!p.equals(RMI) && systems.contains(RMI)) {
        c.add(new String[] {p, RMI});
      }
      if (p.endsWith(BASE)) {
        c.add(new String[] {p.substring(0, p.length() - BASE.length()), p});
      }
    }
    return c;
  }

  /** Starts the JVMs, times the rounds and returns the report. */
  String run() throws Exception {
    List<String> labels = peers();
    Map<String, BlockPeer> peers = new LinkedHashMap<>();
    try {
      for (String label : labels) { // one at a time: warm-ups do not share the CPU
        progress.println("throughput a/b: starting and warming up " + label);
        peers.put(label, start(label, classPath(label), warmupMillis, callers));
      }
      Map<String, double[]> ops = new LinkedHashMap<>();
      Map<String, double[]> p50 = new LinkedHashMap<>();
      for (String label : labels) {
        ops.put(label, new double[rounds]);
        p50.put(label, new double[rounds]);
      }
      for (int r = 0; r < rounds; r++) {
        if (r % 10 == 0) {
          progress.println("throughput a/b: round " + (r + 1) + " of " + rounds);
        }
        for (int k = 0; k < labels.size(); k++) {
          String label = labels.get((r + k) % labels.size());
          String[] v = peers.get(label).block(blockMillis, "OPS").split(" ");
          ops.get(label)[r] = Double.parseDouble(v[0]);
          // "P50 nanos" with one caller; a base jar's older peer may not print it
          p50.get(label)[r] = v.length >= 3 && v[1].equals("P50") ? Double.parseDouble(v[2])
              : Double.NaN;
        }
      }
      return report(ops) + (callers == 1 ? latencyReport(p50) : "");
    } finally {
      for (BlockPeer p : peers.values()) {
        p.close();
      }
    }
  }

  private String classPath(String label) {
    String own = System.getProperty("java.class.path");
    return label.endsWith(BASE) ? baseJar + File.pathSeparator + own : own;
  }

  private static String system(String label) {
    int cut = label.indexOf('~') >= 0 ? label.indexOf('~') : label.indexOf('@');
    return cut < 0 ? label : label.substring(0, cut);
  }

  String report(Map<String, double[]> ops) {
    StringBuilder sb = new StringBuilder();
    sb.append("# throughput, same-run blocks (").append(rounds).append(" rounds x ")
        .append(blockMillis).append(" ms per peer, ").append(callers)
        .append(" callers, one client JVM per peer)\n\n");
    sb.append("| peer | median block calls/s | p25 | p75 | mean |\n|---|---:|---:|---:|---:|\n");
    for (Map.Entry<String, double[]> e : ops.entrySet()) {
      double[] v = e.getValue().clone();
      Arrays.sort(v);
      sb.append(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %,.0f | %,.0f |%n", e.getKey(),
          quantile(v, 0.5), quantile(v, 0.25), quantile(v, 0.75),
          Arrays.stream(v).average().orElse(0)));
    }
    return sb + ratioTable("ratio (per round)", "TPUTAB", ops);
  }

  /**
   * One row and one {@code key} line per comparison: the median and quartiles over the rounds of
   * the two peers' values in the same round.
   */
  private String ratioTable(String title, String key, Map<String, double[]> values) {
    StringBuilder sb = new StringBuilder("\n| " + title + " | median | p25 | p75 |\n"
        + "|---|---:|---:|---:|\n");
    List<String> lines = new ArrayList<>();
    for (String[] c : comparisons()) {
      double[] num = values.get(c[0]);
      double[] den = values.get(c[1]);
      double[] r = new double[rounds];
      for (int i = 0; i < rounds; i++) {
        r[i] = num[i] / den[i];
      }
      Arrays.sort(r);
      String name = c[0] + "/" + c[1];
      sb.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f |%n", name,
          quantile(r, 0.5), quantile(r, 0.25), quantile(r, 0.75)));
      lines.add(String.format(Locale.ROOT, "%s %s %.4f %.4f %.4f", key, name, quantile(r, 0.5),
          quantile(r, 0.25), quantile(r, 0.75)));
    }
    sb.append('\n').append(String.join("\n", lines)).append('\n');
    return sb.toString();
  }

  /** The median round trips of one-caller blocks, and their per-round ratios. */
  String latencyReport(Map<String, double[]> p50) {
    StringBuilder sb = new StringBuilder("\n| peer | median block rtt p50 (us) | p25 | p75 |\n"
        + "|---|---:|---:|---:|\n");
    for (Map.Entry<String, double[]> e : p50.entrySet()) {
      double[] v = e.getValue().clone();
      Arrays.sort(v);
      sb.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f |%n", e.getKey(),
          quantile(v, 0.5) / 1e3, quantile(v, 0.25) / 1e3, quantile(v, 0.75) / 1e3));
    }
    return sb + ratioTable("rtt p50 ratio (per round, lower is faster)", "RTTAB", p50);
  }

  /** The {@code q} quantile of sorted {@code v}, by linear interpolation. */
  static double quantile(double[] v, double q) {
    double pos = q * (v.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(v.length - 1, lo + 1);
    return v[lo] + (v[hi] - v[lo]) * (pos - lo);
  }

  /** Starts {@code label}'s client JVM, warmed up for {@code warmupMillis}. */
  private static BlockPeer start(String label, String classPath, long warmupMillis, int callers)
      throws IOException {
    List<String> cmd = BlockPeer.command(classPath, ThroughputAbPeer.class);
    cmd.add(system(label));
    cmd.add(Long.toString(warmupMillis));
    cmd.add(Integer.toString(callers));
    return BlockPeer.start(label, cmd);
  }
}
