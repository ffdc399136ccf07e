package dev.tether.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Every JMH benchmark still runs (they reach internals that change): one tiny in-process
 * iteration each. Structure only: no score is looked at.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JmhSmokeTest {
  @Test
  void everyMicrobenchmarkRunsWithEveryParameter() throws Exception {
    Options options = new OptionsBuilder()
        .include("dev\\.tether\\.bench\\.jmh\\..*")
        .forks(0)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(20))
        .shouldFailOnError(true)
        .build();
    Collection<RunResult> results = new Runner(options).run();
    // CodecBench 2 x 4 types, FrameBench 2 x 2 calls, PendingTableBench 2 x 2 table sizes,
    // JfrEventBench 5 x 4 recordings
    assertThat(results).hasSize(36);
  }
}
