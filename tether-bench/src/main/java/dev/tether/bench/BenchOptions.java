package dev.tether.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The command line of {@code ./tether bench}:
 * {@code [--quick] [--samples N] [--only a,b,...] [--markdown FILE] [--tether-spin NANOS]
 * [--attacks]}; {@code --tether-spin} sets Tether's idle strategy (default: Tether's own default),
 * {@code --attacks} runs the attack benchmark ({@link AttackBench}) instead of the side-by-side one.
 *
 * @param quick the short run
 * @param samples samples per percentile metric, or 0 for the default
 * @param only the systems to run, in table order
 * @param markdown where to write the output too, or null
 * @param attacks run the attack benchmark instead
 */
public record BenchOptions(boolean quick, int samples, List<String> only, Path markdown,
    boolean attacks) {
  /** Every system, in table order. */
  public static final List<String> SYSTEMS =
      List.of("tether-uds", "tether-tcp", "tether-tls", "rmi", "grpc", "lsp4j", "raw-uds", "raw-tcp");

  /** The usage text. */
  public static final String USAGE = "usage: BenchMain [--quick] [--samples N] [--only "
      + String.join(",", SYSTEMS) + "] [--markdown FILE] [--tether-spin NANOS]\n"
      + "       BenchMain --attacks [--quick] [--samples N] [--markdown FILE]\n"
      + "       BenchMain jmh [JMH options]   (microbenchmarks; -h for JMH's help)";

  /**
   * Parses the arguments.
   *
   * @throws IllegalArgumentException with a message for the user
   */
  public static BenchOptions parse(String[] args) {
    boolean quick = false;
    boolean attacks = false;
    int samples = 0;
    Set<String> only = new LinkedHashSet<>(SYSTEMS);
    Path markdown = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--quick" -> quick = true;
        case "--attacks" -> attacks = true;
        case "--samples" -> {
          samples = Integer.parseInt(value(args, ++i, a));
          if (samples < 1) {
            throw new IllegalArgumentException("--samples must be positive");
          }
        }
        case "--only" -> {
          only.clear();
          for (String s : value(args, ++i, a).split(",")) {
            if (!SYSTEMS.contains(s.trim())) {
              throw new IllegalArgumentException("unknown system '" + s + "'; known: " + SYSTEMS);
            }
            only.add(s.trim());
          }
        }
        case "--markdown" -> markdown = Path.of(value(args, ++i, a));
        case "--tether-spin" -> {
          long nanos = Long.parseLong(value(args, ++i, a));
          if (nanos < 0) {
            throw new IllegalArgumentException("--tether-spin must not be negative");
          }
          System.setProperty(TetherBench.SPIN_PROPERTY, Long.toString(nanos));
        }
        default -> throw new IllegalArgumentException("unknown option '" + a + "'");
      }
    }
    List<String> ordered = new ArrayList<>();
    for (String s : SYSTEMS) {
      if (only.contains(s)) {
        ordered.add(s);
      }
    }
    return new BenchOptions(quick, samples, List.copyOf(ordered), markdown, attacks);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
