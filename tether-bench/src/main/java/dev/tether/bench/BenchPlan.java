package dev.tether.bench;

/**
 * How much to measure.
 *
 * @param quick the short run (structure checks, not numbers)
 * @param samples timed samples per percentile metric
 * @param warmup untimed calls before each latency metric
 * @param throughputWarmupMillis untimed running time before {@code throughput_16}
 * @param throughputMillis timed running time of {@code throughput_16}
 * @param pendingCalls calls pending at once in {@code cancel_10k} and the memory metric
 * @param pendingRounds repetitions of {@code cancel_10k}
 */
public record BenchPlan(boolean quick, int samples, int warmup, long throughputWarmupMillis,
    long throughputMillis, int pendingCalls, int pendingRounds) {

  /** Samples of the full run. */
  public static final int FULL_SAMPLES = 50_000;

  /** The plan for {@code --quick} or the full run, with {@code samples} when positive. */
  public static BenchPlan of(boolean quick, int samples) {
    if (quick) {
      return new BenchPlan(true, samples > 0 ? samples : 500, 200, 200, 300, 10_000, 1);
    }
    return new BenchPlan(false, samples > 0 ? samples : FULL_SAMPLES, 20_000, 2_000, 5_000,
        10_000, 5);
  }

  /**
   * Untimed {@code cancel_10k} rounds before the timed ones, for every system: one round of 10,000
   * calls is too few for the JIT to compile the cancel paths (Tether's first rounds were 3-5x
   * slower than its later ones, gRPC's about 2x), so with a single warm-up round the row measured
   * warm-up more than cancelling.
   */
  public int pendingWarmupRounds() {
    return quick ? 0 : 5;
  }

  /**
   * Samples of each cold metric ({@link Metric#cold()}): each costs
   * {@link Metric#COLD_PENDING_MILLIS} of waiting, so fewer than the hot metrics' (1,000 in the
   * full run, 5 in the quick one; 50 s per metric); the system property
   * {@code tether.bench.coldSamples} overrides it.
   */
  public int coldSamples() {
    return Integer.getInteger(COLD_SAMPLES_PROPERTY, quick ? 5 : 1000);
  }

  /**
   * System property: samples of each cold metric ({@code ./tether bench --cold N} sets it). The
   * samples are taken one at a time, each on an otherwise idle connection; taking several at
   * once (parallel client and server pairs) would keep the 2 cores awake for one another and
   * measure something warmer than a cold cancel.
   */
  public static final String COLD_SAMPLES_PROPERTY = "tether.bench.coldSamples";

  /** Untimed cold samples before the timed ones (each costs as much as a sample). */
  public int coldWarmup() {
    return quick ? 2 : 20;
  }

  /** Warm-up calls for the cancel metrics, whose calls are slower. */
  public int cancelWarmup() {
    return Math.max(20, warmup / 10);
  }
}
