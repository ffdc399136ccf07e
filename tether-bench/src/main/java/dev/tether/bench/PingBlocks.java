package dev.tether.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Round trips of small calls under several conditions (a way to ping, alone or beside a bulk
 * transfer), measured so that a ratio between two conditions holds still from run to run: the
 * pings come in short blocks, one block of every condition per round, in an order that rotates
 * from round to round, so every condition meets the same drift of the machine (a build starting
 * beside it, the CPUs' frequency, the other JVMs' garbage collections). A ratio is then taken
 * both ways: per round, between that round's two blocks, whose median and quartiles say how steady
 * it is, and between the pooled samples of all rounds (issue 14's rule: 50,000 samples or more
 * for a p99).
 *
 * <p>A block beside a transfer starts the transfer, waits until it has moved {@link #FLOWING}
 * bytes (so it runs at speed), pings, then stops the transfer and waits until it stopped. Every
 * block starts with {@code settle} pings that are not counted: after a stopped transfer the
 * connection may still carry its last chunk, and a connection idle for a second has parked its
 * server reader. One warm-up round, not counted, comes first. Not thread-safe: one thread runs it.
 */
final class PingBlocks {
  /** Bytes a transfer has moved before its block's pings start. */
  static final long FLOWING = 4L << 20;

  /** One small call, timed around it. */
  interface Ping {
    void ping() throws Exception;
  }

  /** Starts a bulk transfer that runs, read as fast as possible, until it is closed. */
  interface Transfer {
    Running start() throws Exception;
  }

  /** A transfer under way. */
  interface Running extends AutoCloseable {
    /** Bytes received so far (any thread). */
    long moved();

    /** Stops the transfer and returns once it has stopped on both sides. */
    @Override
    void close() throws Exception;
  }

  /**
   * A condition to measure.
   *
   * @param name its name in the results
   * @param ping the small call
   * @param transfer what runs beside the pings, or null for none
   */
  record Condition(String name, Ping ping, Transfer transfer) {}

  /** What one condition measured: every counted sample, and each round's block on its own. */
  static final class Result {
    final Histogram pooled = new Histogram();
    final List<Histogram> blocks = new ArrayList<>();
    long movedDuringPings;
    long pingNanos;

    /** MB/s (10^6 bytes) the transfer moved while the counted pings ran; 0 without one. */
    double mbPerSecond() {
      return pingNanos == 0 ? 0 : movedDuringPings / 1e3 / (pingNanos / 1e6);
    }
  }

  private final int rounds;
  private final int perBlock;
  private final int settle;
  private final PrintStream progress;

  /** {@code rounds} rounds of one block per condition, {@code perBlock} counted pings each. */
  PingBlocks(int rounds, int perBlock, int settle, PrintStream progress) {
    this.rounds = rounds;
    this.perBlock = perBlock;
    this.settle = settle;
    this.progress = progress;
  }

  /** Runs every round; returns each condition's result under its name, in the given order. */
  Map<String, Result> run(List<Condition> conditions) throws Exception {
    Map<String, Result> results = new LinkedHashMap<>();
    for (Condition c : conditions) {
      results.put(c.name(), new Result());
    }
    for (Condition c : conditions) {
      block(c, null); // warm-up
    }
    int n = conditions.size();
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < n; i++) {
        Condition c = conditions.get((r + i) % n); // the order rotates from round to round
        block(c, results.get(c.name()));
      }
      if ((r + 1) % 5 == 0 || r + 1 == rounds) {
        progress.printf(Locale.ROOT, "[pings] round %d of %d%n", r + 1, rounds);
      }
    }
    return results;
  }

  private void block(Condition c, Result into) throws Exception {
    Running running = null;
    if (c.transfer() != null) {
      running = c.transfer().start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (running.moved() < FLOWING) {
        if (System.nanoTime() - deadline > 0) {
          running.close();
          throw new IllegalStateException(c.name() + ": the transfer moved "
              + running.moved() + " bytes in 30 s");
        }
        Thread.sleep(1);
      }
    }
    try {
      for (int i = 0; i < settle; i++) {
        c.ping().ping();
      }
      Histogram h = new Histogram();
      long moved0 = running == null ? 0 : running.moved();
      long t0 = System.nanoTime();
      for (int i = 0; i < perBlock; i++) {
        long t = System.nanoTime();
        c.ping().ping();
        h.add(System.nanoTime() - t);
      }
      long nanos = System.nanoTime() - t0;
      if (into != null) {
        for (int i = 0; i < h.count(); i++) {
          into.pooled.add(h.sample(i));
        }
        into.blocks.add(h);
        if (running != null) {
          into.movedDuringPings += running.moved() - moved0;
          into.pingNanos += nanos;
        }
      }
    } finally {
      if (running != null) {
        running.close();
      }
    }
  }

  /** Per round: percentile {@code p} of {@code over}'s block divided by {@code under}'s. */
  static double[] roundRatios(Result over, Result under, double p) {
    double[] r = new double[over.blocks.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = (double) over.blocks.get(i).percentile(p) / under.blocks.get(i).percentile(p);
    }
    return r;
  }

  /** The {@code q} quantile (0 to 1) of {@code v}, in any order, linearly interpolated. */
  static double quantile(double[] v, double q) {
    double[] s = v.clone();
    Arrays.sort(s);
    return ThroughputAbBench.quantile(s, q);
  }
}
