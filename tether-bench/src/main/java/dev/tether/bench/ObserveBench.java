package dev.tether.bench;

import dev.tether.CallInfo;
import dev.tether.CallListener;
import dev.tether.CallMetadata;
import dev.tether.Registration;
import dev.tether.Tether;
import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * What observing calls costs a synchronous round trip (issue 13): Tether's JFR events recorded
 * (every call, and with the shipped {@code tether.jfc} thresholds), a no-op call listener on
 * both sides, and one metadata entry per call, each against the plain round trip measured in
 * the same run. Server and client share this JVM (over a Unix socket), so a recording pays for
 * both sides' events. Modes alternate round by round, so the machine's drift hits all alike; the
 * "cold" row is measured first (as many rounds, not interleaved), before any recording ever
 * started, when JFR's classes are not even loaded. Then every mode gets the same warm-up as the
 * plain round trip, in its own setting (its recording on, its metadata set), so that no mode is
 * timed while the code it switches on is still being compiled.
 *
 * <p>Its JFR rows start and stop a recording every round in one JVM whose compiled code serves
 * every mode; from run to run they swung by more than the 5 % target (BENCHMARKS.md, "JFR cost,
 * sixth session"). The JFR figure to judge issue 13 by is {@link JfrAbBench}'s: one JVM per
 * setting, each recording left on.
 *
 * <p>Run: {@code java -cp tether-bench/target/tether-bench-all.jar dev.tether.bench.ObserveBench
 * [--quick]}. Prints a markdown table and one {@code OBSERVE mode ratio} line per mode.
 */
public final class ObserveBench {
  /** What is switched on. */
  enum Mode {
    OFF("plain (JFR loaded, nothing recorded)"),
    JFR_NONE("JFR: a recording without Tether's events (the recorder's own cost)"),
    JFR_ALL("JFR: every call recorded (threshold 0)"),
    JFR_DEFAULT("JFR: tether.jfc (calls over 1 ms)"),
    LISTENER_CLIENT("no-op CallListener, client only"),
    LISTENER("no-op CallListener, client and server (fast calls still inline)"),
    LISTENER_START_FIRST("no-op CallListener, client and server, start before the method"
        + " (the server never inlines)"),
    METADATA("one metadata entry (traceparent)");

    final String label;

    Mode(String label) {
      this.label = label;
    }
  }

  /** A no-op listener: the cost of the listener machinery itself. */
  private static final CallListener NO_OP = new CallListener() {
    @Override
    public void started(CallInfo call) {}
  };

  /** A no-op listener whose start must precede the method (as a tracer's): no inlining. */
  private static final CallListener NO_OP_START_FIRST = new CallListener() {
    @Override
    public void started(CallInfo call) {}

    @Override
    public boolean requiresStartBeforeMethod() {
      return true;
    }
  };

  private final int rounds;
  private final int samples;
  private final int warmup;
  private final PrintStream progress;

  ObserveBench(boolean quick, PrintStream progress) {
    this.rounds = quick ? 2 : 10;
    this.samples = quick ? 200 : 5_000;
    this.warmup = quick ? 500 : 50_000;
    this.progress = progress;
  }

  /** Entry point: {@code [--quick]}. */
  public static void main(String[] args) throws Exception {
    boolean quick = List.of(args).contains("--quick");
    System.out.print(new ObserveBench(quick, System.err).run());
    System.out.flush();
    System.exit(0);
  }

  /** Runs every mode and returns the report. */
  String run() throws Exception {
    Map<Mode, Histogram> results = new EnumMap<>(Mode.class);
    for (Mode m : Mode.values()) {
      results.put(m, new Histogram());
    }
    Histogram cold = new Histogram();
    try (TetherServer plain = TetherServer.builder().export("echo", Echo.class, x -> x).start();
        TetherServer listened = TetherServer.builder().export("echo", Echo.class, x -> x)
            .callListener(NO_OP).start();
        TetherServer startFirst = TetherServer.builder().export("echo", Echo.class, x -> x)
            .callListener(NO_OP_START_FIRST).start();
        Tether c1 = Tether.connect(plain.address());
        Tether c2 = Tether.connect(listened.address(),
            TetherOptions.defaults().withCallListener(NO_OP));
        Tether c3 = Tether.connect(plain.address(),
            TetherOptions.defaults().withCallListener(NO_OP));
        Tether c4 = Tether.connect(startFirst.address(),
            TetherOptions.defaults().withCallListener(NO_OP))) {
      Echo echo = c1.get(Echo.class, "echo");
      Echo listenedEcho = c2.get(Echo.class, "echo");
      Echo clientListenedEcho = c3.get(Echo.class, "echo");
      Echo startFirstEcho = c4.get(Echo.class, "echo");
      Map<Mode, Echo> target = new EnumMap<>(Mode.class);
      for (Mode m : Mode.values()) {
        target.put(m, switch (m) {
          case LISTENER -> listenedEcho;
          case LISTENER_START_FIRST -> startFirstEcho;
          case LISTENER_CLIENT -> clientListenedEcho;
          default -> echo;
        });
      }
      progress.println("observe bench: warming up");
      measure(echo, warmup, new Histogram());
      for (int r = 0; r < rounds; r++) { // before any recording: JFR never initialised
        measure(echo, samples, cold);
      }
      // Every mode gets the plain round trip's warm-up, in its own setting: the code a recording
      // or metadata switches on is compiled before it is timed, as the plain path's is.
      for (Mode m : Mode.values()) {
        progress.println("observe bench: warming up " + m.name().toLowerCase(Locale.ROOT));
        run(m, target.get(m), warmup, new Histogram());
      }
      for (int r = 0; r < rounds; r++) {
        progress.println("observe bench: round " + (r + 1) + " of " + rounds);
        for (Mode m : Mode.values()) {
          run(m, target.get(m), samples, results.get(m));
        }
      }
    }
    return report(cold, results);
  }

  /** Times {@code n} round trips of {@code echo} with mode {@code m} switched on. */
  private static void run(Mode m, Echo echo, int n, Histogram into) throws Exception {
    switch (m) {
      case METADATA -> {
        try (Registration md = CallMetadata.with("traceparent",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")) {
          measure(echo, n, into);
        }
      }
      case JFR_NONE, JFR_ALL, JFR_DEFAULT -> {
        try (Recording rec = recording(m)) {
          rec.start();
          measure(echo, n, into);
          rec.stop();
        }
      }
      default -> measure(echo, n, into);
    }
  }

  private static Recording recording(Mode m) throws Exception {
    if (m == Mode.JFR_DEFAULT) {
      try (Reader r = new InputStreamReader(ObserveBench.class.getResourceAsStream(
          "/dev/tether/tether.jfc"), StandardCharsets.UTF_8)) {
        return new Recording(Configuration.create(r));
      }
    }
    Recording rec = new Recording();
    for (String e : List.of("dev.tether.ClientCall", "dev.tether.ServerCall",
        "dev.tether.Cancel", "dev.tether.Worker")) {
      if (m == Mode.JFR_NONE) {
        rec.disable(e);
      } else {
        rec.enable(e).withThreshold(Duration.ZERO).withoutStackTrace();
      }
    }
    return rec;
  }

  private static void measure(Echo echo, int n, Histogram into) {
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      echo.echo(i);
      into.add(System.nanoTime() - t0);
    }
  }

  private String report(Histogram cold, Map<Mode, Histogram> results) {
    double base = results.get(Mode.OFF).percentile(50);
    StringBuilder sb = new StringBuilder();
    sb.append("# Observability cost (").append(rounds).append(" rounds x ").append(samples)
        .append(" round trips per mode)\n\n");
    sb.append("| mode | p50 µs | p99 µs | p50 vs plain |\n|---|---|---|---|\n");
    row(sb, "cold: plain, JFR never started", cold, base);
    for (Mode m : Mode.values()) {
      row(sb, m.label, results.get(m), base);
    }
    sb.append('\n');
    List<String> lines = new ArrayList<>();
    for (Mode m : Mode.values()) {
      lines.add(String.format(Locale.ROOT, "OBSERVE %s ratio %.3f", m.name().toLowerCase(
          Locale.ROOT), results.get(m).percentile(50) / base));
    }
    lines.add(String.format(Locale.ROOT, "OBSERVE cold ratio %.3f", cold.percentile(50) / base));
    sb.append(String.join("\n", lines)).append('\n');
    return sb.toString();
  }

  private static void row(StringBuilder sb, String label, Histogram h, double base) {
    sb.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %+.1f %% |%n", label,
        h.percentile(50) / 1000.0, h.percentile(99) / 1000.0,
        (h.percentile(50) / base - 1) * 100));
  }

  /** The measured service. */
  public interface Echo {
    /** Returns {@code x}. */
    int echo(int x);
  }
}
