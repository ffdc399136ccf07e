package dev.tether.cli;

import java.nio.charset.Charset;
import java.util.Locale;

/**
 * Numbers for people: durations in the unit that fits (850 ns, 12.3 µs, 77.4 ms, 2.05 s) with
 * three significant digits, rates and sizes likewise. Used by the demo, {@code inspect} and the
 * benchmark so they all read the same. Stateless and thread-safe.
 */
public final class Units {
  /** "µ" when standard output can print it, else "u". */
  public static final String MICRO = canPrintMicro() ? "µ" : "u";

  private Units() {}

  /** A duration given in nanoseconds, e.g. {@code 77.4 ms}; "µ" as standard output allows. */
  public static String duration(double nanos) {
    return duration(nanos, MICRO);
  }

  /** A duration given in nanoseconds, with {@code micro} as the micro sign. */
  public static String duration(double nanos, String micro) {
    if (Double.isNaN(nanos)) {
      return "n/a";
    }
    double abs = Math.abs(nanos);
    if (abs < 1_000) {
      return String.format(Locale.ROOT, "%.0f ns", nanos);
    }
    if (abs < 999_500) {
      return sig(nanos / 1e3) + " " + micro + "s";
    }
    if (abs < 999_500_000) {
      return sig(nanos / 1e6) + " ms";
    }
    return sig(nanos / 1e9) + " s";
  }

  /** Operations per second, e.g. {@code 48.2 k/s}. */
  public static String rate(double perSecond) {
    if (perSecond >= 999_500) {
      return sig(perSecond / 1e6) + " M/s";
    }
    if (perSecond >= 999.5) {
      return sig(perSecond / 1e3) + " k/s";
    }
    return sig(perSecond) + " /s";
  }

  /** A size in bytes, e.g. {@code 1.46 KiB}. */
  public static String bytes(double bytes) {
    if (bytes >= 1024 * 1024) {
      return sig(bytes / (1024 * 1024)) + " MiB";
    }
    if (bytes >= 1024) {
      return sig(bytes / 1024) + " KiB";
    }
    return String.format(Locale.ROOT, "%.0f B", bytes);
  }

  /** Three significant digits: 1.23, 12.3, 123. */
  static String sig(double v) {
    double abs = Math.abs(v);
    String f = abs < 9.995 ? "%.2f" : abs < 99.95 ? "%.1f" : "%.0f";
    return String.format(Locale.ROOT, f, v);
  }

  private static boolean canPrintMicro() {
    String enc = System.getProperty("stdout.encoding");
    try {
      Charset cs = enc == null ? Charset.defaultCharset() : Charset.forName(enc);
      return cs.newEncoder().canEncode('µ');
    } catch (RuntimeException e) {
      return false;
    }
  }
}
