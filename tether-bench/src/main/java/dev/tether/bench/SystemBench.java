package dev.tether.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One system of the side-by-side benchmark. {@link #run} starts it (a server JVM and a client in
 * this JVM), measures every metric, and closes it; a metric that fails becomes an error row and
 * the others still run, and a system that cannot start gets an error row for every metric.
 */
public abstract class SystemBench implements AutoCloseable {
  /** Closes a system whose metric (or start) overran its time limit: blocked calls then fail. */
  private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(
      r -> Thread.ofPlatform().daemon().name("bench-watchdog").unstarted(r));

  /** Rounds a pending-call measurement produced, kept for the rows that follow it. */
  private final Map<Metric, Row> extra = new EnumMap<>(Metric.class);
  /** This system's name in the table. */
  protected final String name;
  /** How much to measure. */
  protected final BenchPlan plan;
  /** Tells the cancel metrics when a server method runs; created before {@link #start()}. */
  protected StartSignal signal;

  protected SystemBench(String name, BenchPlan plan) {
    this.name = name;
    this.plan = plan;
  }

  /** Starts the server JVM and connects. */
  protected abstract void start() throws Exception;

  /**
   * Measures {@code metric}; may return rows of later metrics too (they are then not measured
   * again). Unsupported metrics return {@link Row#notApplicable}.
   */
  protected abstract List<Row> measure(Metric metric) throws Exception;

  /** The metrics this system has a row for. */
  protected List<Metric> metrics() {
    List<Metric> all = new ArrayList<>(List.of(Metric.values()));
    all.remove(Metric.ONE_WAY);
    all.remove(Metric.ONE_WAY_COLD);
    return all;
  }

  /**
   * {@link #metrics()}, or only those named in the system property {@code tether.bench.metrics}
   * (comma-separated ids, e.g. {@code cancel_release_cold,one_way_cold}) to re-run some rows.
   */
  private List<Metric> selected() {
    String only = System.getProperty(METRICS_PROPERTY);
    if (only == null || only.isBlank()) {
      return metrics();
    }
    List<String> ids = List.of(only.split(","));
    return metrics().stream().filter(m -> ids.contains(m.id())).toList();
  }

  /**
   * What {@link ScaleBench} drives on this system: the round trip of {@code throughput_16} and,
   * where the system has asynchronous calls it can cancel, the probe of {@code cancel_10k}
   * ({@code pending} null otherwise). Null when the system is not in the scaling tables.
   */
  protected ScaleTarget scaleTarget() {
    return null;
  }

  /**
   * The round trip {@link ThroughputAbPeer} drives with {@code callers} threads: the scaling
   * tables' echo, or null when the system has none. A system whose round trip serves only one
   * thread at a time (a raw socket) returns it for one caller only.
   */
  protected Measure.Call echoCall(int callers) throws Exception {
    ScaleTarget t = scaleTarget();
    return t == null ? null : t.echo();
  }

  /** See {@link #scaleTarget()}. */
  record ScaleTarget(Measure.Call echo, java.util.function.Supplier<Measure.PendingProbe> pending) {}

  /** Starts the system outside {@link #run} (for {@link ScaleBench}); {@link #close} ends it. */
  final void open() throws Exception {
    signal = StartSignal.create();
    start();
  }

  /** System property: the metrics to run (comma-separated ids); all when absent. */
  static final String METRICS_PROPERTY = "tether.bench.metrics";

  /** Closes the client and destroys the server JVM. */
  @Override
  public abstract void close() throws java.io.IOException;

  /** Notes for the output, such as how the peer was set up. */
  public List<String> notes() {
    return List.of();
  }

  /**
   * How long starting, or one metric, may take before the watchdog closes the system; the system
   * property {@code tether.bench.limitSeconds} overrides it.
   */
  private long limitSeconds() {
    return Long.getLong("tether.bench.limitSeconds", plan.quick() ? 120 : 900);
  }

  /**
   * The limit for {@code m}: a cold metric's samples take {@link Metric#COLD_PENDING_MILLIS}
   * each, so 50,000 of them (42 minutes) get three times their waiting if that is more.
   */
  private long limitSeconds(Metric m) {
    long limit = limitSeconds();
    if (m != null && m.cold()) {
      long waiting = (plan.coldSamples() + plan.coldWarmup()) * Metric.COLD_PENDING_MILLIS / 1000;
      limit = Math.max(limit, 3 * waiting);
    }
    return limit;
  }

  /** Runs everything and returns the rows, one per metric. Never throws. */
  final List<Row> run(Progress progress) {
    List<Row> rows = new ArrayList<>();
    boolean[] overran = new boolean[1];
    ScheduledFuture<?> dog = watch(overran, null);
    try {
      progress.starting(name);
      signal = StartSignal.create();
      start();
    } catch (Throwable t) {
      for (Metric m : selected()) {
        rows.add(Row.error(name, m, overran[0] ? overrun(null) : t));
      }
      closeQuietly();
      return rows;
    } finally {
      dog.cancel(false);
    }
    try {
      for (Metric m : selected()) {
        Row done = extra.remove(m);
        if (done != null) {
          rows.add(done);
          continue;
        }
        long t0 = System.nanoTime();
        dog = watch(overran, m);
        try {
          for (Row r : measure(m)) {
            if (r.metric() == m) {
              rows.add(r);
            } else {
              extra.put(r.metric(), r);
            }
          }
        } catch (Throwable t) {
          rows.add(Row.error(name, m, overran[0] ? overrun(m) : t));
          if (t instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            break;
          }
        } finally {
          dog.cancel(false);
        }
        progress.done(name, m, System.nanoTime() - t0);
      }
    } finally {
      closeQuietly();
    }
    return rows;
  }

  /** Closes this system (destroying its server) if the current step overruns its limit. */
  private ScheduledFuture<?> watch(boolean[] overran, Metric m) {
    return WATCHDOG.schedule(() -> {
      overran[0] = true;
      closeQuietly();
    }, limitSeconds(m), TimeUnit.SECONDS);
  }

  private TimeoutException overrun(Metric m) {
    return new TimeoutException("took longer than " + limitSeconds(m)
        + " s; the system was closed");
  }

  private void closeQuietly() {
    try {
      close();
    } catch (Throwable ignored) {
      // the server process is destroyed by ServerProcess either way
    }
  }

  /** Starts this system's server JVM, handing it the start signal. */
  protected ServerProcess startServer(String kind, String... jvmArgs) throws java.io.IOException {
    List<String> args = new java.util.ArrayList<>(List.of(signal.jvmArg()));
    args.addAll(List.of(jvmArgs));
    String spin = System.getProperty(TetherBench.SPIN_PROPERTY);
    if (spin != null) {
      args.add("-D" + TetherBench.SPIN_PROPERTY + "=" + spin);
    }
    String maxCalls = System.getProperty(ScaleBench.MAX_CALLS_PROPERTY);
    if (maxCalls != null) { // ScaleBench's 100,000 pending calls
      args.add("-D" + ScaleBench.MAX_CALLS_PROPERTY + "=" + maxCalls);
    }
    return ServerProcess.start(kind, 60, args);
  }

  /** A single row in a list. */
  protected static List<Row> one(Row r) {
    return List.of(r);
  }

  /** Rows of {@code cancel_10k} (release, observe) and the memory metric, from the rounds. */
  protected List<Row> pendingRows(Measure.PendingProbe probe, String note) throws Exception {
    Histogram release = new Histogram();
    Histogram observe = new Histogram();
    double bytes = 0;
    for (int i = 0; i < plan.pendingWarmupRounds(); i++) {
      Measure.pendingRound(plan.pendingCalls(), probe); // warm-up rounds, not counted (all systems)
    }
    for (int i = 0; i < plan.pendingRounds(); i++) {
      double[] r = Measure.pendingRound(plan.pendingCalls(), probe);
      release.add((long) r[0]);
      observe.add((long) r[1]);
      bytes += r[2];
    }
    String what = plan.pendingCalls() + " calls, " + plan.pendingRounds() + " round(s)"
        + (plan.pendingWarmupRounds() == 0 ? ""
            : " after " + plan.pendingWarmupRounds() + " warm-up rounds");
    return List.of(
        Row.of(name, Metric.CANCEL_10K_RELEASE, release, what + "; " + note),
        Row.of(name, Metric.CANCEL_10K_OBSERVE, observe, what),
        Row.value(name, Metric.MEM_PER_PENDING, bytes / plan.pendingRounds(),
            plan.pendingRounds(), "used heap after GC, with minus without " + plan.pendingCalls()
                + " pending calls, divided by " + plan.pendingCalls()));
  }

  /**
   * A row of cancel latencies; for a cold metric each call is cancelled only after it was
   * pending {@link Metric#COLD_PENDING_MILLIS}, with {@link BenchPlan#coldSamples()} samples.
   */
  protected Row cancelRow(Metric m, Measure.CancelProbe probe, String note) throws Exception {
    if (m.cold()) {
      Measure.CancelSamples s = Measure.cancelLatency(plan.coldWarmup(),
          plan.coldSamples(), Metric.COLD_PENDING_MILLIS, signal, probe);
      return Row.of(name, m, s.histogram(), s.note(note + "; cancelled "
          + Metric.COLD_PENDING_MILLIS + " ms after the server method started (cold)"));
    }
    Measure.CancelSamples s = Measure.cancelLatency(plan, signal, probe);
    return Row.of(name, m, s.histogram(), s.note(note));
  }

  /** A latency row. */
  protected Row latencyRow(Metric m, Histogram h, String note) {
    return Row.of(name, m, h, note);
  }

  /** The {@code throughput_16} row. */
  protected Row throughputRow(Measure.Call call, String note) throws Exception {
    double[] r = Measure.throughput(plan, 16, call);
    return Row.value(name, Metric.THROUGHPUT_16, r[0], (long) r[1], note);
  }
}
