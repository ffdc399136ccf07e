package dev.tether.cli;

import java.io.PrintStream;

/**
 * What runs {@code tether bench}: the benchmark module provides it (service
 * {@code META-INF/services/dev.tether.cli.BenchRunner}), so the command line lists and parses
 * {@code bench} without depending on the benchmark's heavy dependencies.
 */
public interface BenchRunner {
  /**
   * Runs the benchmark the settings describe.
   *
   * @param settings what to run
   * @param out where the report goes
   * @param progress where progress lines go while it runs
   * @return the exit code: 0 when every system ran (rows may still hold errors)
   * @throws Exception when the benchmark cannot run at all
   */
  int run(BenchSettings settings, PrintStream out, PrintStream progress) throws Exception;
}
