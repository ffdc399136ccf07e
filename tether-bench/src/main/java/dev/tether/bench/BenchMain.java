package dev.tether.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./tether bench}: runs Tether and its peers, each with its server in a separate JVM, and
 * prints a markdown table, RATIO lines and notes. {@code BenchMain jmh ...} runs the JMH
 * microbenchmarks instead.
 */
public final class BenchMain {
  private BenchMain() {}

  /** Entry point; exits with 0, or 2 for a usage error. */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("jmh")) {
      org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    int code = run(args, System.out, System.err);
    System.out.flush();
    System.exit(code);
  }

  /** Runs the benchmark; the report goes to {@code out}, progress to {@code progress}. */
  public static int run(String[] args, PrintStream out, PrintStream progress) throws IOException {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      progress.println(e.getMessage());
      progress.println(BenchOptions.USAGE);
      return 2;
    }
    if (options.attacks()) {
      String report;
      try {
        report = new AttackBench(AttackBench.Plan.of(options.quick(), options.samples()), progress)
            .run();
      } catch (Exception e) {
        progress.println("attack benchmark failed: " + e);
        return 1;
      }
      out.print(report);
      if (options.markdown() != null) {
        Files.writeString(options.markdown(), report);
      }
      return 0;
    }
    BenchPlan plan = BenchPlan.of(options.quick(), options.samples());
    long t0 = System.nanoTime();
    List<Row> rows = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (String system : options.only()) {
      SystemBench bench = create(system, plan);
      rows.addAll(bench.run(progress));
      notes.addAll(bench.notes());
    }
    String report = report(plan, rows, notes, (System.nanoTime() - t0) / 1e9);
    out.print(report);
    if (options.markdown() != null) {
      Files.writeString(options.markdown(), report);
    }
    return 0;
  }

  static SystemBench create(String system, BenchPlan plan) {
    return switch (system) {
      case "tether-uds" -> new TetherBench(false, plan);
      case "tether-tcp" -> new TetherBench(true, plan);
      case "tether-tls" -> new TetherBench(true, true, plan);
      case "rmi" -> new RmiBench(plan);
      case "grpc" -> new GrpcBench(plan);
      case "lsp4j" -> new Lsp4jBench(plan);
      case "raw-uds" -> new RawBench(true, plan);
      case "raw-tcp" -> new RawBench(false, plan);
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
        + "RATIO_TLS compares tether-tls with tether-tcp (the cost of TLS).");
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
    n.add("RMI gets n/a for every cancel metric: Java RMI has no call cancellation. Raw sockets "
        + "get n/a for everything but round trips: they have no calls to cancel or multiplex.");
    n.addAll(systemNotes);
    return n;
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
    String s = String.format(Locale.ROOT, "Raw one-way time over a Unix-domain socket (half the "
        + "raw-uds rtt p50): %s us", Table.num(raw.value()));
    if (observe != null) {
      s += String.format(Locale.ROOT, "; tether-uds cancel_observe p50: %s us",
          Table.num(observe.p50()));
    }
    return java.util.Optional.of(s + ".");
  }
}
