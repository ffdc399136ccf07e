package dev.tether.bench;

import java.util.Arrays;

/**
 * Collects duration samples in nanoseconds and answers nearest-rank percentiles and the mean.
 * Keeps every sample (a few hundred KiB for 50,000), so percentiles are exact. Not thread-safe.
 */
public final class Histogram {
  private long[] values = new long[1024];
  private int count;
  private boolean sorted = true;

  /** Adds one sample. */
  public void add(long nanos) {
    if (count == values.length) {
      values = Arrays.copyOf(values, count * 2);
    }
    values[count++] = nanos;
    sorted = false;
  }

  /** Sample number {@code i} (0 to {@link #count()} - 1), in no particular order. */
  public long sample(int i) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException(i);
    }
    return values[i];
  }

  /** Number of samples. */
  public int count() {
    return count;
  }

  /**
   * The nearest-rank percentile: the smallest sample such that at least {@code p} percent of the
   * samples are at or below it.
   *
   * @throws IllegalStateException when there are no samples
   */
  public long percentile(double p) {
    if (count == 0) {
      throw new IllegalStateException("no samples");
    }
    if (!sorted) {
      Arrays.sort(values, 0, count);
      sorted = true;
    }
    int rank = (int) Math.ceil(p / 100.0 * count);
    return values[Math.max(0, Math.min(count - 1, rank - 1))];
  }

  /** Arithmetic mean of the samples. */
  public double mean() {
    if (count == 0) {
      throw new IllegalStateException("no samples");
    }
    double sum = 0;
    for (int i = 0; i < count; i++) {
      sum += values[i];
    }
    return sum / count;
  }
}
