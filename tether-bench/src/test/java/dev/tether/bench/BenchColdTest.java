package dev.tether.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code ./tether bench --cold N}: the cold rows only, with N samples each, nothing else measured. */
class BenchColdTest {
  @Test
  @Timeout(300)
  void coldRunMeasuresOnlyTheColdRowsWithTheSamplesAskedFor() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = BenchMain.run(new String[] {"--quick", "--cold", "7", "--only",
        "tether-uds,raw-uds", "--html", "none"},
        new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    String report = out.toString(StandardCharsets.UTF_8);
    System.out.println(report);
    assertThat(code).isZero();
    List<String> rows = new ArrayList<>();
    for (String line : report.split("\n")) {
      boolean system = line.startsWith("| tether-uds |") || line.startsWith("| raw-uds |");
      if (system && !line.contains("| n/a: ")) { // a raw socket has nothing to cancel
        rows.add(line);
      }
    }
    assertThat(rows).extracting(r -> r.split(" \\| ")[0].substring(2) + " " + r.split(" \\| ")[1])
        .containsExactly("tether-uds cancel_release_cold", "tether-uds cancel_observe_cold",
            "raw-uds one_way_cold");
    for (String r : rows) {
      assertThat(r.split(" \\| ")[6]).as(r).isEqualTo("7"); // samples
    }
    assertThat(System.getProperty(BenchPlan.COLD_SAMPLES_PROPERTY)).as("restored").isNull();
    assertThat(System.getProperty(SystemBench.METRICS_PROPERTY)).as("restored").isNull();
  }
}
