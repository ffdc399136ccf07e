package dev.tether.bench;

import java.util.List;

/**
 * The shape of a row's samples for the HTML report: durations in nanoseconds at fixed quantiles,
 * from the minimum to the maximum. Immutable.
 *
 * @param nanos the duration at each of {@link #QUANTILES}, in the same order
 */
public record Distribution(long[] nanos) {
  /** The quantiles kept, in percent: min, p1, p5, p10, p25, p50, p75, p90, p95, p99, p99.9, max. */
  public static final List<Double> QUANTILES =
      List.of(0.0, 1.0, 5.0, 10.0, 25.0, 50.0, 75.0, 90.0, 95.0, 99.0, 99.9, 100.0);

  /** Copies the array. */
  public Distribution {
    if (nanos.length != QUANTILES.size()) {
      throw new IllegalArgumentException("need " + QUANTILES.size() + " quantiles");
    }
    nanos = nanos.clone();
  }

  /** A copy of the durations, one per quantile. */
  @Override
  public long[] nanos() {
    return nanos.clone();
  }

  /** The quantiles of {@code h}'s samples. */
  public static Distribution of(Histogram h) {
    long[] q = new long[QUANTILES.size()];
    for (int i = 0; i < q.length; i++) {
      q[i] = h.percentile(Math.max(QUANTILES.get(i), 1e-9));
    }
    return new Distribution(q);
  }

  /** The duration at quantile {@code percent}, which must be one of {@link #QUANTILES}. */
  public long at(double percent) {
    int i = QUANTILES.indexOf(percent);
    if (i < 0) {
      throw new IllegalArgumentException("not a kept quantile: " + percent);
    }
    return nanos[i];
  }

  /** The smallest sample. */
  public long min() {
    return nanos[0];
  }

  /** The largest sample. */
  public long max() {
    return nanos[nanos.length - 1];
  }
}
