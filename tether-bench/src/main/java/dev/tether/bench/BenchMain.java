package dev.tether.bench;

import dev.tether.cli.BenchCommand;
import dev.tether.cli.BenchRunner;
import dev.tether.cli.BenchSettings;
import dev.tether.cli.TetherCommand;
import dev.tether.cli.Units;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/**
 * {@code ./tether bench}: runs Tether and its peers, each with its server in a separate JVM, and
 * prints a markdown table, RATIO lines and notes, and writes the HTML report. The options are
 * parsed by the command line's {@link BenchCommand} (this class is its {@link BenchRunner});
 * {@code BenchMain jmh ...} runs the JMH microbenchmarks instead.
 */
public final class BenchMain implements BenchRunner {
  /** Creates the runner (the service loader does). */
  public BenchMain() {}

  /**
   * Entry point: {@code jmh [JMH options]} runs JMH; anything else is {@code tether bench}'s
   * options. Exits with 0, 1 when the benchmark failed, or 2 for a usage error.
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("jmh")) {
      org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    String[] all = new String[args.length + 1];
    all[0] = "bench";
    System.arraycopy(args, 0, all, 1, args.length);
    TetherCommand.main(all);
  }

  /**
   * Parses {@code args} as {@code tether bench} does and runs the benchmark; the report goes to
   * {@code out}, progress and usage errors to {@code progress}.
   */
  public static int run(String[] args, PrintStream out, PrintStream progress) {
    CommandLine cl = new CommandLine(new BenchCommand(out, progress, new BenchMain()));
    cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(progress, true, StandardCharsets.UTF_8));
    return cl.execute(args);
  }

  @Override
  public int run(BenchSettings settings, PrintStream out, PrintStream progress)
      throws IOException {
    if (settings.tetherSpinNanos() >= 0) {
      System.setProperty(TetherBench.SPIN_PROPERTY, Long.toString(settings.tetherSpinNanos()));
    }
    if (settings.coldSamples() > 0) { // --cold N: the cold rows only, N samples each
      String samples = System.getProperty(BenchPlan.COLD_SAMPLES_PROPERTY);
      String metrics = System.getProperty(SystemBench.METRICS_PROPERTY);
      System.setProperty(BenchPlan.COLD_SAMPLES_PROPERTY, Integer.toString(settings.coldSamples()));
      System.setProperty(SystemBench.METRICS_PROPERTY, java.util.Arrays.stream(Metric.values())
          .filter(Metric::cold).map(Metric::id).collect(java.util.stream.Collectors.joining(",")));
      try {
        return runSideBySide(settings, out, progress);
      } finally { // as before: other runs in this JVM (tests) measure what they ask for
        restore(BenchPlan.COLD_SAMPLES_PROPERTY, samples);
        restore(SystemBench.METRICS_PROPERTY, metrics);
      }
    }
    if (settings.attacks() || settings.streams() || settings.scale()) {
      String what = settings.attacks() ? "attack" : settings.streams() ? "stream" : "scaling";
      String report;
      try {
        report = settings.attacks()
            ? new AttackBench(AttackBench.Plan.of(settings.quick(), settings.samples()),
                progress).run()
            : settings.streams() ? new StreamBench(settings.quick(), progress).run()
            : new ScaleBench(settings.quick()).run();
      } catch (Exception e) {
        progress.println(what + " benchmark failed: " + e);
        return 1;
      }
      out.print(report);
      if (settings.markdown() != null) {
        Files.writeString(settings.markdown(), report);
      }
      return 0;
    }
    return runSideBySide(settings, out, progress);
  }

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }

  private int runSideBySide(BenchSettings settings, PrintStream out, PrintStream progress)
      throws IOException {
    BenchPlan plan = BenchPlan.of(settings.quick(), settings.samples());
    long t0 = System.nanoTime();
    List<Row> rows = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Progress steps = new Progress(progress, settings.only().size());
    for (String system : settings.only()) {
      SystemBench bench = create(system, plan);
      rows.addAll(bench.run(steps));
      notes.addAll(bench.notes());
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    String report = report(plan, rows, notes, seconds);
    out.print(report);
    if (settings.markdown() != null) {
      Files.writeString(settings.markdown(), report);
    }
    if (settings.html() != null) {
      Files.writeString(settings.html(), HtmlReport.render(plan, rows, Table.ratios(rows),
          seconds));
      progress.println("[bench] HTML report: " + settings.html().toAbsolutePath());
    }
    return 0;
  }

  static SystemBench create(String system, BenchPlan plan) {
    return switch (system) {
      case "tether-uds" -> new TetherBench(false, plan);
      case "tether-tcp" -> new TetherBench(true, plan);
      case "tether-tls" -> new TetherBench(true, true, plan);
      case "tether-uds-nospin" -> TetherBench.nospin(false, plan);
      case "tether-tcp-nospin" -> TetherBench.nospin(true, plan);
      case "rmi" -> new RmiBench(plan);
      case "grpc" -> new GrpcBench(plan);
      case "lsp4j" -> new Lsp4jBench(plan);
      case "raw-uds" -> new RawBench(true, plan);
      case "raw-tcp" -> new RawBench(false, plan);
      case "raw-uds-spin" -> new RawBench(true, true, plan);
      case "raw-tcp-spin" -> new RawBench(false, true, plan);
      case "raw-uds-epoll" -> new RawBench(true, RawBench.Waiting.EPOLL, plan);
      case "raw-tcp-epoll" -> new RawBench(false, RawBench.Waiting.EPOLL, plan);
      case "raw-uds-epoll-server" -> new RawBench(true, RawBench.Waiting.EPOLL_SERVER, plan);
      case "raw-tcp-epoll-server" -> new RawBench(false, RawBench.Waiting.EPOLL_SERVER, plan);
      default -> throw new IllegalArgumentException(system);
    };
  }

  static String report(BenchPlan plan, List<Row> rows, List<String> systemNotes, double seconds) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Tether benchmark").append(plan.quick() ? " (--quick)" : "").append("\n\n");
    sb.append(String.format(Locale.ROOT, "%d samples per percentile metric, %d warm-up calls; "
            + "java %s on %d cores; %.0f s.%n%n", plan.samples(), plan.warmup(),
        Runtime.version(), Runtime.getRuntime().availableProcessors(), seconds));
    sb.append(Table.markdown(rows)).append('\n');
    for (String r : Table.ratios(rows)) {
      sb.append(r).append('\n');
    }
    sb.append("\nNotes:\n");
    for (String n : notes(plan, rows, systemNotes)) {
      sb.append("- ").append(n).append('\n');
    }
    return sb.toString();
  }

  private static List<String> notes(BenchPlan plan, List<Row> rows, List<String> systemNotes) {
    List<String> n = new ArrayList<>();
    n.add("Every server runs in its own JVM (" + String.join(" ", ServerProcess.SERVER_JVM_ARGS)
        + "), started by this one; every client runs in this JVM, one system after the other.");
    n.add("RATIO <metric> <peer> <tether/peer> compares tether-uds with each peer; RATIO_TCP "
        + "compares tether-tcp with the TCP peers. Below 1 means Tether is faster or smaller, "
        + "except for throughput_16, where above 1 means Tether does more calls per second. "
        + "RATIO_TLS compares tether-tls with tether-tcp (the cost of TLS); RATIO_NOSPIN and "
        + "RATIO_TCP_NOSPIN compare Tether with spinning off with the blocking raw floor.");
    n.add("cancel_observe subtracts a System.nanoTime() read in this JVM (just before the cancel) "
        + "from one read in the server JVM (when the server method saw it). Both are "
        + "CLOCK_MONOTONIC on Linux, a single machine-wide clock, so the two compare directly.");
    n.add("cancel_release and cancel_observe cancel only once the server method runs: it stores "
        + "its call's sequence number in a memory-mapped file shared with this JVM (outside every "
        + "transport), and the canceller waits for that number, then cancels at once.");
    n.add("cancel_release uses no grace (Cancellation.cancel(thread, Duration.ZERO) for Tether): "
        + "it is the local cost of releasing the caller; the cancel still goes to the server.");
    n.add("cancel_10k: " + plan.pendingCalls() + " asynchronous calls pending on one connection, "
        + "cancelled in a loop; release = until the last caller's future completed, observe = "
        + "until the server counted the last cancel. mem_per_pending is measured in the same "
        + "rounds in this (client) JVM.");
    oneWay(rows).ifPresent(n::add);
    n.addAll(coldAndSpin(rows));
    n.add("RMI gets n/a for every cancel metric: Java RMI has no call cancellation. Raw sockets "
        + "get n/a for everything but round trips: they have no calls to cancel or multiplex.");
    n.addAll(systemNotes);
    return n;
  }

  private static Row find(List<Row> rows, String system, Metric m) {
    for (Row r : rows) {
      if (r.system().equals(system) && r.metric() == m && r.measured()) {
        return r;
      }
    }
    return null;
  }

  /**
   * The cold cancel figures beside the same run's cold raw one-way time (issue 14's target:
   * cold observe p50 within 2x the raw cold one-way plus 20 us), and Tether's round trip against
   * both raw floors, blocking and spin-polled.
   */
  static List<String> coldAndSpin(List<Row> rows) {
    List<String> out = new ArrayList<>();
    String[][] pairs = {{Table.TETHER, "raw-uds"}, {Table.TETHER_TCP, "raw-tcp"}};
    for (String[] p : pairs) {
      Row raw = find(rows, p[1], Metric.ONE_WAY_COLD);
      Row observe = find(rows, p[0], Metric.CANCEL_OBSERVE_COLD);
      Row release = find(rows, p[0], Metric.CANCEL_RELEASE_COLD);
      if (raw != null && (observe != null || release != null)) {
        String s = String.format(Locale.ROOT, "Cold (the call pending %d ms on an idle "
            + "connection): %s one_way_cold p50 %s, p99 %s", Metric.COLD_PENDING_MILLIS, p[1],
            Units.duration(raw.p50() * 1e3), Units.duration(raw.p99() * 1e3));
        if (observe != null) {
          s += String.format(Locale.ROOT, "; %s cancel_observe_cold p50 %s, p99 %s (%.2fx the "
              + "raw cold one-way; target: at most 2 x raw + 20 us = %s)", p[0],
              Units.duration(observe.p50() * 1e3), Units.duration(observe.p99() * 1e3),
              observe.p50() / raw.p50(), Units.duration((2 * raw.p50() + 20) * 1e3));
        }
        if (release != null) {
          s += String.format(Locale.ROOT, "; %s cancel_release_cold p50 %s, p99 %s", p[0],
              Units.duration(release.p50() * 1e3), Units.duration(release.p99() * 1e3));
        }
        out.add(s + ".");
      }
      Row rtt = find(rows, p[0], Metric.RTT);
      Row blocking = find(rows, p[1], Metric.RTT);
      Row nospin = find(rows, p[0] + "-nospin", Metric.RTT);
      if (nospin != null && blocking != null) {
        out.add(String.format(Locale.ROOT, "%s-nospin rtt p50 %s: %.2fx the blocking raw floor "
            + "(%s, %s; target with spinning off: at most 1.1x).", p[0],
            Units.duration(nospin.p50() * 1e3), nospin.p50() / blocking.p50(), p[1],
            Units.duration(blocking.p50() * 1e3)));
      }
      Row spin = find(rows, p[1] + "-spin", Metric.RTT);
      if (rtt != null && (blocking != null || spin != null)) {
        String s = p[0] + " rtt p50 " + Units.duration(rtt.p50() * 1e3);
        if (spin != null) {
          s += String.format(Locale.ROOT, "; %.2fx the spin-polled raw floor (%s-spin, %s)",
              rtt.p50() / spin.p50(), p[1], Units.duration(spin.p50() * 1e3));
        }
        if (blocking != null) {
          s += String.format(Locale.ROOT, "; %.2fx the blocking raw floor (%s, %s)",
              rtt.p50() / blocking.p50(), p[1], Units.duration(blocking.p50() * 1e3));
        }
        out.add(s + ".");
      }
    }
    return out;
  }

  private static java.util.Optional<String> oneWay(List<Row> rows) {
    Row raw = null;
    Row observe = null;
    for (Row r : rows) {
      if (r.system().equals("raw-uds") && r.metric() == Metric.ONE_WAY && r.measured()) {
        raw = r;
      }
      if (r.system().equals(Table.TETHER) && r.metric() == Metric.CANCEL_OBSERVE && r.measured()) {
        observe = r;
      }
    }
    if (raw == null) {
      return java.util.Optional.empty();
    }
    String s = "Raw one-way time over a Unix-domain socket (half the raw-uds rtt p50): "
        + Units.duration(raw.value() * 1e3);
    if (observe != null) {
      s += "; tether-uds cancel_observe p50: " + Units.duration(observe.p50() * 1e3);
    }
    return java.util.Optional.of(s + ".");
  }
}
