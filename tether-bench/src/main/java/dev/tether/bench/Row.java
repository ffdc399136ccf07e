package dev.tether.bench;

/**
 * One line of the result table: a system, a metric and its numbers, or why there are none.
 *
 * @param p50 median, in the metric's unit; NaN when the metric has no percentiles or no value
 * @param p99 99th percentile, likewise
 * @param value the mean (or the single value, such as ops/s); NaN when there is none
 * @param samples how many samples the numbers come from
 * @param status empty for a measured row, {@code "n/a: why"} or {@code "error: message"} otherwise
 * @param note a remark printed with the row
 * @param distribution the samples' quantiles for the HTML report, or null (single values)
 */
public record Row(String system, Metric metric, double p50, double p99, double value, long samples,
    String status, String note, Distribution distribution) {

  /** A row without a distribution. */
  public Row(String system, Metric metric, double p50, double p99, double value, long samples,
      String status, String note) {
    this(system, metric, p50, p99, value, samples, status, note, null);
  }

  private static final double NANOS_PER_US = 1_000.0;

  /** A row of durations from a histogram, in microseconds (or milliseconds for ms metrics). */
  public static Row of(String system, Metric metric, Histogram h, String note) {
    double div = metric.unit().equals("ms") ? 1_000_000.0 : NANOS_PER_US;
    return new Row(system, metric, h.percentile(50) / div, h.percentile(99) / div,
        h.mean() / div, h.count(), "", note, Distribution.of(h));
  }

  /** A row with one value (ops/s, bytes, ms...). */
  public static Row value(String system, Metric metric, double value, long samples, String note) {
    return new Row(system, metric, Double.NaN, Double.NaN, value, samples, "", note);
  }

  /** A row that does not apply to this system, and why. */
  public static Row notApplicable(String system, Metric metric, String why) {
    return new Row(system, metric, Double.NaN, Double.NaN, Double.NaN, 0, "n/a: " + why, "");
  }

  /** A row whose measurement failed. */
  public static Row error(String system, Metric metric, Throwable t) {
    String m = t.getMessage() == null ? t.getClass().getSimpleName()
        : t.getClass().getSimpleName() + ": " + t.getMessage();
    return new Row(system, metric, Double.NaN, Double.NaN, Double.NaN, 0,
        "error: " + m.replace('\n', ' ').replace('|', '/'), "");
  }

  /** True when the row carries numbers. */
  public boolean measured() {
    return status.isEmpty();
  }

  /** The number a RATIO key names ({@code rtt_p50}, {@code throughput_16}...), or NaN. */
  public double ratioValue(String key) {
    if (!measured()) {
      return Double.NaN;
    }
    if (key.endsWith("_p50") && metric.hasPercentiles()) {
      return p50;
    }
    if (key.endsWith("_p99") && metric.hasPercentiles()) {
      return p99;
    }
    return value;
  }
}
