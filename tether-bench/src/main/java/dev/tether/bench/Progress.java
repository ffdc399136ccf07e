package dev.tether.bench;

import dev.tether.cli.Units;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress lines of the side-by-side benchmark, one per finished step, each saying how far the
 * run is: {@code [bench  3/7 systems, 12 s] grpc: rtt 2.14 s}. Plain lines, so they read the same
 * in a terminal, a pipe or a CI log. Used by the benchmark's main thread only.
 */
final class Progress {
  private final PrintStream out;
  private final int systems;
  private final long start = System.nanoTime();
  private int system;

  Progress(PrintStream out, int systems) {
    this.out = out;
    this.systems = systems;
  }

  /** A system starts. */
  void starting(String name) {
    system++;
    line(name + ": starting its server JVM");
  }

  /**
   * A metric of the current system is done, after {@code nanos}; instant steps (a metric the
   * system does not have) print nothing.
   */
  void done(String name, Metric metric, long nanos) {
    if (nanos >= 1_000_000) {
      line(name + ": " + metric.id() + " " + Units.duration(nanos));
    }
  }

  private void line(String what) {
    out.printf(Locale.ROOT, "[bench %d/%d systems, %s] %s%n", system, systems,
        Units.duration(System.nanoTime() - start), what);
  }
}
