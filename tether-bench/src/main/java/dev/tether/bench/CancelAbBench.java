package dev.tether.bench;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The hot {@code cancel_release} and {@code cancel_observe} rows as a same-run A/B of Tether
 * builds (issue 14's 10 % rule): one client JVM per peer ({@link CancelAbPeer}, its server or
 * worker in a JVM of its own), all started and warmed up first, one at a time; then every peer
 * measures one short block of each row per round, one peer at a time while the others wait, in
 * an order that rotates every round (as {@link ThroughputAbBench} does for throughput). Each
 * round gives, per comparison, the ratio of the two peers' block p50s, p99s and p99.9s, and the
 * difference of their shares of slow samples (above {@link CancelAbPeer#SLOW_NANOS}); reported
 * are the medians of those over the rounds and their quartiles, so rounds the machine disturbed
 * do not move the verdict.
 *
 * <p>Peers, for each system given ({@code tether-uds} by default): the system built from this
 * jar, its twin in a second JVM ({@code tether-uds~twin}, whose ratio to the first is the A/A
 * control: the method's own scatter), and for each {@code --builds label=JAR} the system again
 * run whole from that jar ({@code tether-uds@label}: its bench and its Tether; only this
 * {@link CancelAbPeer} class comes from this jar, put first on the class path). Comparisons:
 * {@code system/system@label} (above 1: this jar is slower) and {@code system~twin/system}.
 *
 * <p>Run: {@code java -cp tether-bench/target/tether-bench-all.jar dev.tether.bench.CancelAbBench
 * [--quick] [--systems tether-uds,tether-tcp] [--builds old=/tmp/old.jar,mid=/tmp/mid.jar]
 * [--rounds N] [--samples N] [--warmup-blocks N]}. Prints markdown tables and one
 * {@code CANCELAB row/quantity peer/against median p25 p75} line per comparison and quantity
 * (for the slow share, the difference in percentage points; lower is faster). Not thread-safe.
 */
public final class CancelAbBench {
  static final String TWIN = "~twin";
  static final String AT = "@";
  /** What each block reports, in {@link CancelAbPeer}'s order. */
  static final List<String> QUANTITIES = List.of("cancel_release/p50", "cancel_release/p99",
      "cancel_release/p99.9", "cancel_release/slow%", "cancel_observe/p50",
      "cancel_observe/p99", "cancel_observe/p99.9", "cancel_observe/slow%");

  private final List<String> systems;
  private final Map<String, String> builds;
  private final int rounds;
  private final int samples;
  private final int warmupBlocks;
  private final PrintStream progress;

  CancelAbBench(List<String> systems, Map<String, String> builds, int rounds, int samples,
      int warmupBlocks, PrintStream progress) {
    for (String s : systems) {
      if (!s.equals("tether-uds") && !s.equals("tether-tcp")) {
        throw new IllegalArgumentException("--systems: " + s + " is not tether-uds or tether-tcp");
      }
    }
    this.systems = List.copyOf(systems);
    this.builds = new LinkedHashMap<>(builds);
    this.rounds = rounds;
    this.samples = samples;
    this.warmupBlocks = warmupBlocks;
    this.progress = progress;
  }

  /** Entry point; see the class comment for the options. */
  public static void main(String[] args) throws Exception {
    List<String> a = List.of(args);
    boolean quick = a.contains("--quick");
    System.out.print(new CancelAbBench(
        List.of(stringArg(a, "--systems", "tether-uds").split(",")),
        parseBuilds(stringArg(a, "--builds", null)),
        (int) longArg(a, "--rounds", quick ? 3 : 30),
        (int) longArg(a, "--samples", quick ? 100 : 2_000),
        (int) longArg(a, "--warmup-blocks", quick ? 1 : 5), System.err).run());
    System.out.flush();
    System.exit(0);
  }

  /** {@code label=jar,label=jar} in order; empty for null. */
  static Map<String, String> parseBuilds(String spec) {
    Map<String, String> m = new LinkedHashMap<>();
    if (spec == null || spec.isBlank()) {
      return m;
    }
    for (String b : spec.split(",")) {
      int eq = b.indexOf('=');
      if (eq <= 0 || eq == b.length() - 1) {
        throw new IllegalArgumentException("--builds: '" + b + "' is not label=jar");
      }
      m.put(b.substring(0, eq), b.substring(eq + 1));
    }
    return m;
  }

  private static String stringArg(List<String> args, String name, String dflt) {
    int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : dflt;
  }

  private static long longArg(List<String> args, String name, long dflt) {
    String v = stringArg(args, name, null);
    return v == null ? dflt : Long.parseLong(v);
  }

  /** The peers' labels, in start order: per system, itself, its twin, then each build. */
  List<String> peers() {
    List<String> peers = new ArrayList<>();
    for (String s : systems) {
      peers.add(s);
      peers.add(s + TWIN);
      for (String label : builds.keySet()) {
        peers.add(s + AT + label);
      }
    }
    return peers;
  }

  /** Pairs {numerator, denominator} of the ratios reported. */
  List<String[]> comparisons() {
    List<String[]> c = new ArrayList<>();
    for (String s : systems) {
      for (String label : builds.keySet()) {
        c.add(new String[] {s, s + AT + label});
      }
      c.add(new String[] {s + TWIN, s});
    }
    return c;
  }

  /** Starts the JVMs, measures the rounds and returns the report. */
  String run() throws Exception {
    List<String> labels = peers();
    Map<String, BlockPeer> peers = new LinkedHashMap<>();
    Path peerClass = builds.isEmpty() ? null : peerClassDir();
    try {
      for (String label : labels) { // one at a time: warm-ups do not share the CPU
        progress.println("cancel a/b: starting and warming up " + label);
        peers.put(label, start(label, classPath(label, peerClass)));
      }
      Map<String, double[][]> values = new LinkedHashMap<>(); // label -> [quantity][round]
      for (String label : labels) {
        values.put(label, new double[QUANTITIES.size()][rounds]);
      }
      for (int r = 0; r < rounds; r++) {
        if (r % 5 == 0) {
          progress.println("cancel a/b: round " + (r + 1) + " of " + rounds);
        }
        for (int k = 0; k < labels.size(); k++) {
          String label = labels.get((r + k) % labels.size()); // the order rotates
          String[] v = peers.get(label).block(1, "CANCEL").split(" ");
          for (int q = 0; q < QUANTITIES.size(); q++) {
            values.get(label)[q][r] = Double.parseDouble(v[q]);
          }
          progress.println("cancel a/b: round " + (r + 1) + " " + label + " "
              + String.join(" ", v)); // every block's figures, for a look at their spread
        }
      }
      return report(values);
    } finally {
      for (BlockPeer p : peers.values()) {
        p.close();
      }
    }
  }

  /** A slow-share quantity: compared by difference (percentage points), not by ratio. */
  static boolean isShare(String quantity) {
    return quantity.endsWith("%");
  }

  String report(Map<String, double[][]> values) {
    StringBuilder sb = new StringBuilder();
    sb.append("# hot cancels, same-run blocks (").append(rounds).append(" rounds x ")
        .append(samples).append(" cancels per row per peer, one client JVM per peer)\n\n");
    sb.append("| peer | quantity | median block | p25 | p75 | mean of blocks |\n"
        + "|---|---|---:|---:|---:|---:|\n");
    for (Map.Entry<String, double[][]> e : values.entrySet()) {
      for (int q = 0; q < QUANTITIES.size(); q++) {
        double[] v = e.getValue()[q].clone();
        Arrays.sort(v);
        sb.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.2f | %.2f |%n",
            e.getKey(), QUANTITIES.get(q), ThroughputAbBench.quantile(v, 0.5),
            ThroughputAbBench.quantile(v, 0.25), ThroughputAbBench.quantile(v, 0.75),
            mean(v)));
      }
    }
    sb.append("\nLatencies in us; slow% is the share of samples above ")
        .append(CancelAbPeer.SLOW_NANOS / 1000).append(" us.\n")
        .append("\n| per round: ratio (slow%: difference), lower is faster | quantity | median"
            + " | p25 | p75 |\n|---|---|---:|---:|---:|\n");
    List<String> lines = new ArrayList<>();
    for (String[] c : comparisons()) {
      for (int q = 0; q < QUANTITIES.size(); q++) {
        double[] num = values.get(c[0])[q];
        double[] den = values.get(c[1])[q];
        boolean share = isShare(QUANTITIES.get(q));
        double[] r = new double[rounds];
        for (int i = 0; i < rounds; i++) {
          r[i] = share ? num[i] - den[i] : num[i] / den[i];
        }
        Arrays.sort(r);
        String name = c[0] + "/" + c[1];
        double med = ThroughputAbBench.quantile(r, 0.5);
        double p25 = ThroughputAbBench.quantile(r, 0.25);
        double p75 = ThroughputAbBench.quantile(r, 0.75);
        sb.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.3f |%n", name,
            QUANTITIES.get(q), med, p25, p75));
        lines.add(String.format(Locale.ROOT, "CANCELAB %s %s %.4f %.4f %.4f", QUANTITIES.get(q),
            name, med, p25, p75));
      }
    }
    return sb.append('\n').append(String.join("\n", lines)).append('\n').toString();
  }

  private static double mean(double[] v) {
    return Arrays.stream(v).average().orElse(0);
  }

  private String classPath(String label, Path peerClass) {
    int at = label.indexOf(AT);
    if (at < 0) {
      return System.getProperty("java.class.path");
    }
    return peerClass + File.pathSeparator + builds.get(label.substring(at + 1));
  }

  private static String system(String label) {
    int cut = label.indexOf('~') >= 0 ? label.indexOf('~') : label.indexOf(AT);
    return cut < 0 ? label : label.substring(0, cut);
  }

  /** A class directory holding only {@link CancelAbPeer}, to put before another build's jar. */
  private static Path peerClassDir() throws IOException {
    Path dir = Files.createTempDirectory("tether-cancel-ab");
    dir.toFile().deleteOnExit();
    String name = CancelAbPeer.class.getName().replace('.', '/') + ".class";
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    try (InputStream in = CancelAbPeer.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException(name + " is not on the class path");
      }
      Files.copy(in, file);
    }
    List<Path> made = new ArrayList<>();
    for (Path p = file; !p.equals(dir); p = p.getParent()) {
      made.add(0, p);
    }
    for (Path p : made) { // deleted in reverse order of registration: the file first
      p.toFile().deleteOnExit();
    }
    return dir;
  }

  /** Starts {@code label}'s client JVM, warmed up. */
  private BlockPeer start(String label, String classPath) throws IOException {
    List<String> cmd = BlockPeer.command(classPath, CancelAbPeer.class);
    cmd.add(system(label));
    cmd.add(Integer.toString(samples));
    cmd.add(Integer.toString(warmupBlocks));
    return BlockPeer.start(label, cmd);
  }
}
