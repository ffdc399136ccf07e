package dev.tether.bench;

import dev.tether.CancelScope;
import dev.tether.Tether;
import dev.tether.TetherOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./tether bench --attacks}: a Tether server in its own JVM with a limited heap, a healthy
 * client in this JVM measuring round trips, first alone (the baseline), then while each
 * {@link Attack} runs. Reports p50/p99 per phase beside the baseline, calls that failed, and whether
 * the server survived; a server that died is reported as such and restarted for the next attack.
 * The target (issue 10) is an attacked p99 within 2x of the baseline. Not a timed test: it
 * measures and reports.
 */
public final class AttackBench {
  /** Heap of the server under attack, after the common server JVM options. */
  static final String SERVER_HEAP = "-Xmx256m";
  /** Bound on each healthy call; a call that takes longer counts as failed. */
  private static final Duration CALL_LIMIT = Duration.ofSeconds(2);

  /**
   * How much to measure.
   *
   * @param samples healthy calls per phase
   * @param warmup untimed calls before the baseline
   * @param rampMillis bound on the wait for an attack to reach full strength, and how long it
   *     then runs before the healthy client measures
   * @param minPhaseSeconds how long a phase measures at least, whatever the samples
   * @param maxPhaseSeconds bound on one phase's measuring, whatever the samples
   * @param scale how hard the attacks push
   */
  record Plan(int samples, int warmup, long rampMillis, long minPhaseSeconds,
      long maxPhaseSeconds, Attack.Scale scale) {
    static Plan of(boolean quick, int samples) {
      return quick
          ? new Plan(samples > 0 ? samples : 50, 50, 100, 0, 10, Attack.Scale.QUICK)
          : new Plan(samples > 0 ? samples : 2000, 2000, 30_000, 10, 60, Attack.Scale.FULL);
    }
  }

  /**
   * One line of the report.
   *
   * @param serverCpu CPU the server used while the phase measured, as a share of one core
   *     (NaN: unknown)
   */
  record Result(String phase, Histogram latency, int failed, String server, String note,
      double serverCpu) {}

  private final Plan plan;
  private final PrintStream progress;
  private ServerProcess server;
  private Tether client;
  private AttackService svc;

  AttackBench(Plan plan, PrintStream progress) {
    this.plan = plan;
    this.progress = progress;
  }

  /** Runs the baseline and every attack; returns the report. */
  String run() throws Exception {
    long t0 = System.nanoTime();
    List<Result> results = new ArrayList<>();
    try {
      startServer();
      for (int i = 0; i < plan.warmup(); i++) {
        svc.echo(i);
      }
      progress.println("[attacks] baseline");
      results.add(measure("baseline", "no attack"));
      for (Attack a : Attack.values()) {
        if (!selected(a)) {
          continue;
        }
        progress.println("[attacks] " + a.id);
        results.add(measure("baseline before " + a.id, "no attack"));
        results.add(underAttack(a));
      }
    } finally {
      stop();
    }
    return report(results, (System.nanoTime() - t0) / 1e9);
  }

  /**
   * Whether to run {@code a}: all attacks unless the system property {@code tether.attacks}
   * names some (comma-separated ids), for working on one attack at a time.
   */
  private static boolean selected(Attack a) {
    String only = System.getProperty("tether.attacks", "");
    return only.isBlank() || List.of(only.split(",")).contains(a.id);
  }

  private Result underAttack(Attack attack) throws Exception {
    if (server == null || !server.alive()) {
      stop();
      startServer();
    }
    Result during;
    String summary;
    int oomBefore = server.stderrCount("OutOfMemoryError");
    try (Attack.Running running = attack.start(server.address(), plan.scale())) {
      boolean full = running.awaitFullStrength(plan.rampMillis());
      Thread.sleep(Math.min(plan.rampMillis(), 1000));
      during = measure(attack.id, "");
      summary = running.summary() + (full ? "" : " (never reached full strength in "
          + plan.rampMillis() / 1000 + " s)");
    }
    String health = health();
    int ooms = server.stderrCount("OutOfMemoryError") - oomBefore;
    if (ooms > 0) {
      summary += "; server logged OutOfMemoryError " + ooms + "x";
    }
    return new Result(attack.id, during.latency(), during.failed(), health, summary,
        during.serverCpu());
  }

  /** Whether the server is alive and answers a new client within 10 s, once the attack ended. */
  private String health() {
    if (!server.alive()) {
      String err = server.stderrTail();
      int oom = err.indexOf("OutOfMemoryError");
      return "died" + (oom >= 0 ? " (OutOfMemoryError)" : "");
    }
    try (Tether fresh = Tether.connect(server.address(),
            TetherOptions.defaults().withInsecurePlaintextTcp());
        CancelScope scope = CancelScope.withTimeout(Duration.ofSeconds(10))) {
      AttackService svc = fresh.get(AttackService.class, "attack");
      svc.echo(1);
      // The attackers' connections are closed: only the healthy client and this one should be
      // left once the server noticed (bounded by the scope).
      int open = svc.connections();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (open > 2 && System.nanoTime() < end) {
        Thread.sleep(50); // the server closes them on its own threads; poll, bounded
        open = svc.connections();
      }
      return open > 2 ? "ok but " + (open - 2) + " attacker connections still open after 5 s"
          : "ok";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "not checked (interrupted)";
    } catch (RuntimeException e) {
      return "unresponsive (" + e.getClass().getSimpleName() + ")";
    }
  }

  /** The healthy client's round trips, each bounded by {@link #CALL_LIMIT}. */
  private Result measure(String phase, String note) {
    Histogram h = new Histogram();
    int failed = 0;
    long cpu0 = server.cpuNanos();
    long start = System.nanoTime();
    long min = start + TimeUnit.SECONDS.toNanos(plan.minPhaseSeconds());
    long end = start + TimeUnit.SECONDS.toNanos(plan.maxPhaseSeconds());
    for (int i = 0; (i < plan.samples() || System.nanoTime() < min) && System.nanoTime() < end;
        i++) {
      long t0 = System.nanoTime();
      try (CancelScope scope = CancelScope.withTimeout(CALL_LIMIT)) {
        svc.echo(i);
        h.add(System.nanoTime() - t0);
      } catch (RuntimeException e) {
        failed++;
        reconnectIfClosed();
      }
    }
    long cpu1 = server.cpuNanos();
    double cpu = cpu0 < 0 || cpu1 < 0 ? Double.NaN
        : (double) (cpu1 - cpu0) / (System.nanoTime() - start);
    return new Result(phase, h, failed, "", note, cpu);
  }

  private void reconnectIfClosed() {
    if (server.alive()) {
      try {
        svc.echo(0);
      } catch (RuntimeException e) {
        closeClient();
        try {
          connect();
        } catch (RuntimeException again) {
          // measured as failures until the server answers again
        }
      }
    }
  }

  private void startServer() throws Exception {
    server = ServerProcess.start("tether-attack", 60, List.of(SERVER_HEAP));
    connect();
  }

  private void connect() {
    client = Tether.connect(server.address(), TetherOptions.defaults().withInsecurePlaintextTcp());
    svc = client.get(AttackService.class, "attack");
  }

  private void closeClient() {
    if (client != null) {
      client.close();
      client = null;
    }
  }

  private void stop() {
    closeClient();
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** The markdown report. */
  static String report(List<Result> results, double seconds) {
    StringBuilder sb = new StringBuilder("# Tether under attack\n\n");
    sb.append(String.format(Locale.ROOT, "Server JVM %s %s; java %s on %d cores; %.0f s.%n%n",
        String.join(" ", ServerProcess.SERVER_JVM_ARGS), SERVER_HEAP, Runtime.version(),
        Runtime.getRuntime().availableProcessors(), seconds));
    sb.append("| phase | rtt p50 (us) | rtt p99 (us) | p99 / baseline before | p99 / first "
        + "baseline | server CPU (% of a core) | calls ok | calls failed | server after "
        + "| attack |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
    double first = Double.NaN;
    double base = Double.NaN;
    List<String> ratios = new ArrayList<>();
    for (Result r : results) {
      boolean any = r.latency().count() > 0;
      double p50 = any ? r.latency().percentile(50) / 1e3 : Double.NaN;
      double p99 = any ? r.latency().percentile(99) / 1e3 : Double.NaN;
      boolean baseline = r.phase().startsWith("baseline");
      if (baseline) {
        base = p99;
        first = Double.isNaN(first) ? p99 : first;
      }
      double ratio = p99 / base;
      double ratioFirst = p99 / first;
      sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %d | %d | %s | %s |%n",
          r.phase(), num(p50), num(p99), baseline ? "1" : num(ratio), num(ratioFirst),
          Double.isNaN(r.serverCpu()) ? "-" : String.format(Locale.ROOT, "%.0f",
              100 * r.serverCpu()), r.latency().count(), r.failed(), r.server().isEmpty() ? "ok" : r.server(), r.note()));
      if (!baseline) {
        boolean met = Double.isFinite(ratio) && ratio <= 2 && r.failed() == 0
            && r.server().equals("ok");
        ratios.add("ATTACK " + r.phase() + " p99_ratio " + (Double.isFinite(ratio)
            ? num(ratio) : "none") + " failed " + r.failed() + " server "
            + (r.server().startsWith("ok but") ? "leaky" : r.server().split(" ")[0]) + " "
            + (met ? "MET" : "MISSED") + " (p99 / first baseline " + num(ratioFirst) + ")");
      }
    }
    sb.append('\n');
    ratios.forEach(l -> sb.append(l).append('\n'));
    sb.append("\nNotes:\n");
    sb.append("- Target (issue 10): each attack's p99 within 2x of the baseline, no failed call, "
        + "server healthy afterwards (MET / MISSED above). The baseline is measured again right "
        + "before each attack, the same way and as long, because on a shared 2-core machine the "
        + "p99 of the same workload drifts by more than 2x over a minute; the ratio to the first "
        + "baseline is shown beside it. The server's CPU while a phase measured (healthy "
        + "calls included) says what an attack costs the server whatever the machine's load.\n");
    sb.append("- The healthy client makes one echo call at a time on its own connection, each "
        + "bounded by " + CALL_LIMIT.toSeconds() + " s (slower counts as failed, not as a sample); "
        + "a client whose connection was closed reconnects. Each phase takes at least the "
        + "samples asked for and at least its minimum duration (10 s in the full run).\n");
    sb.append("- Each attack first reaches full strength (all its connections open, its first "
        + "frames sent; bounded), runs one more second, then the healthy client measures while "
        + "it goes on.\n");
    sb.append("- \"server after\": after the attack stopped, a new client called it within 10 s "
        + "(ok; \"but N attacker connections still open\" when the server still counted them 5 s "
        + "after they closed), or the server JVM had exited (died) or did not answer. A dead "
        + "server is restarted for the next attack. OutOfMemoryErrors are counted from the "
        + "server's standard error.\n");
    return sb.toString();
  }

  private static String num(double v) {
    if (!Double.isFinite(v)) {
      return "-";
    }
    return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
  }
}
