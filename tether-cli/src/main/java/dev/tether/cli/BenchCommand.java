package dev.tether.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tether bench}: parses and checks the options, then hands them to the {@link BenchRunner}
 * of the benchmark module ({@code ./tether bench} runs the benchmark's jar, which has it).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = TetherVersion.class,
    description = {
        "Benchmark Tether beside RMI, gRPC, LSP4J and raw sockets; write an HTML report.",
        "",
        "Every server runs in its own JVM. Measures round trips, throughput, cancellation"
            + " latency and 10,000 pending calls; prints a markdown table and RATIO lines, and"
            + " writes an HTML page with the latency distributions of every system side by side.",
        "With --attacks: a healthy client's latency while hostile peers attack a server.",
        "With --streams: stream throughput beside a raw socket copy, cancel-to-stop times, and",
        "small calls' round trips during a transfer. With --scale: throughput and latency as",
        "callers, pending calls and cancelled calls grow."},
    footer = {"", "Microbenchmarks (JMH): java -cp tether-bench/target/tether-bench-all.jar"
        + " dev.tether.bench.BenchMain jmh [JMH options]"})
public final class BenchCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--quick", description = "a short run (fewer samples and rounds)")
  boolean quick;

  @Option(names = "--attacks", description = "run the attack benchmark instead")
  boolean attacks;

  @Option(names = "--streams", description = "run the stream benchmark instead")
  boolean streams;

  @Option(names = "--scale", description = "run the scaling tables instead")
  boolean scale;

  @Option(names = "--samples", paramLabel = "N",
      description = "samples per percentile metric (default: 50,000; with --quick: 500)")
  int samples;

  @Option(names = "--only", split = ",", paramLabel = "SYSTEM",
      description = "only these systems, comma-separated: tether-uds, tether-tcp, tether-tls,"
          + " tether-uds-nospin, tether-tcp-nospin, rmi, grpc, lsp4j, raw-uds, raw-tcp,"
          + " raw-uds-spin, raw-tcp-spin")
  List<String> only;

  @Option(names = "--markdown", paramLabel = "FILE", description = "also write the report here")
  Path markdown;

  @Option(names = "--html", paramLabel = "FILE", defaultValue = "bench-report.html",
      description = "the HTML report (default: ${DEFAULT-VALUE}); \"none\" for none")
  String html;

  @Option(names = "--cold", paramLabel = "N",
      description = "only the cold rows (cancel_release_cold, cancel_observe_cold, one_way_cold),"
          + " N samples each; 50 ms a sample, one sample at a time (50000 take 42 minutes a row)")
  int cold;

  @Option(names = "--tether-spin", paramLabel = "NANOS",
      description = "Tether's idle strategy: nanoseconds of polling before a wait blocks")
  Long tetherSpin;

  private final PrintStream out;
  private final PrintStream progress;
  private final BenchRunner runner;

  /** The command as {@code tether bench} runs it: standard streams, the installed runner. */
  public BenchCommand() {
    this(System.out, System.err, null);
  }

  /**
   * The command writing the report to {@code out} and progress to {@code progress}, run by
   * {@code runner} (null: the one installed as a service).
   */
  public BenchCommand(PrintStream out, PrintStream progress, BenchRunner runner) {
    this.out = out;
    this.progress = progress;
    this.runner = runner;
  }

  @Override
  public Integer call() throws Exception {
    BenchSettings settings = settings();
    BenchRunner r = runner != null ? runner
        : ServiceLoader.load(BenchRunner.class).findFirst().orElse(null);
    if (r == null) {
      progress.println("tether bench: the benchmark is not in this jar; run ./tether bench");
      return OneLineErrors.FAILED;
    }
    return r.run(settings, out, progress);
  }

  /** The checked settings; a bad option is a usage error (exit code 2, with the usage). */
  BenchSettings settings() {
    if (samples < 0 || (samples == 0 && spec.commandLine().getParseResult() != null
        && spec.commandLine().getParseResult().hasMatchedOption("--samples"))) {
      // 0 is the default only when the option is absent
      throw new ParameterException(spec.commandLine(), "--samples must be positive");
    }
    if (cold < 0) {
      throw new ParameterException(spec.commandLine(), "--cold must be positive");
    }
    if (tetherSpin != null && tetherSpin < 0) {
      throw new ParameterException(spec.commandLine(), "--tether-spin must not be negative");
    }
    List<String> systems = new ArrayList<>();
    if (only == null) {
      systems.addAll(BenchSettings.SYSTEMS);
    } else {
      for (String s : only) {
        if (!BenchSettings.SYSTEMS.contains(s.trim())) {
          throw new ParameterException(spec.commandLine(), "unknown system '" + s
              + "'; known: " + String.join(", ", BenchSettings.SYSTEMS));
        }
      }
      for (String s : BenchSettings.SYSTEMS) { // table order
        if (only.stream().anyMatch(o -> o.trim().equals(s))) {
          systems.add(s);
        }
      }
    }
    Path htmlFile = html == null || html.equals("none") ? null : Path.of(html);
    return new BenchSettings(quick, samples, systems, markdown, htmlFile,
        tetherSpin == null ? -1 : tetherSpin, attacks, streams, scale, cold);
  }
}
