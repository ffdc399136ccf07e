package dev.tether.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the stream benchmark's quick version and checks the structure of its report: every row
 * with a number, and the RATIO lines. Nothing about timing.
 */
class StreamBenchQuickTest {
  @Test
  @Timeout(300)
  void quickRunReportsEveryStreamRow() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    int code = BenchMain.run(new String[] {"--streams", "--quick"}, // as ./tether bench runs it
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(progress, true, StandardCharsets.UTF_8));
    String report = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(progress.toString(StandardCharsets.UTF_8)).isZero();
    System.out.println(report);

    for (String transport : new String[] {"uds", "tcp"}) {
      for (String dir : new String[] {"up", "down"}) {
        assertThat(report).containsPattern("\\| stream_mb_s_" + dir + " \\| tether-" + transport
            + " \\| [0-9]+ MB/s \\|");
        assertThat(report).containsPattern("\\| stream_mb_s_" + dir + " \\| raw-" + transport
            + " \\| [0-9]+ MB/s \\|");
        assertThat(report).containsPattern("RATIO stream_mb_s_" + dir + "_" + transport
            + " tether/raw [0-9.]+");
      }
    }
    for (String dir : new String[] {"up", "down"}) { // gRPC-java streaming: TCP only
      assertThat(report).containsPattern("\\| stream_mb_s_" + dir
          + " \\| grpc-tcp \\| [0-9]+ MB/s \\|");
      assertThat(report).containsPattern("RATIO stream_mb_s_" + dir + "_tcp tether/grpc [0-9.]+");
    }
    for (String metric : new String[] {"stream_cancel_down", "stream_cancel_up", "rtt_baseline",
        "rtt_during_stream", "rtt_baseline_window128k", "rtt_during_stream_window128k",
        "rtt_during_copy"}) {
      assertThat(report).containsPattern("\\| " + metric
          + " \\| tether-uds \\| p50 [0-9.]+ µs, p99 [0-9.]+ µs \\|");
    }
    for (String metric : new String[] {"rtt_baseline", "rtt_during_copy"}) { // the raw floor
      assertThat(report).containsPattern("\\| " + metric
          + " \\| raw-uds \\| p50 [0-9.]+ µs, p99 [0-9.]+ µs \\|");
    }
    for (String ratio : new String[] {"rtt_p99 during_stream/baseline",
        "rtt_window128k_p99 during_stream/baseline", "rtt_raw_p99 during_copy/baseline",
        "rtt_p99 during_copy/baseline"}) {
      assertThat(report).containsPattern("RATIO " + ratio + " [0-9.]+\n");
    }
    assertThat(report).containsPattern("RATIO rtt_p99_rounds during_stream/baseline [0-9.]+ "
        + "\\(quartiles [0-9.]+-[0-9.]+, 4 rounds\\)");
  }
}
