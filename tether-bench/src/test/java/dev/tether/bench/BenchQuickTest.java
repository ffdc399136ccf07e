package dev.tether.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.cli.BenchSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the whole side-by-side benchmark with {@code --quick} and tiny sample counts and checks the
 * structure of its output: every row, finite positive numbers, parseable RATIO lines. It asserts
 * nothing about timing.
 */
class BenchQuickTest {
  private static final Pattern RATIO =
      Pattern.compile("^(RATIO|RATIO_TCP|RATIO_TLS|RATIO_NOSPIN|RATIO_TCP_NOSPIN) ([a-z0-9_]+) ([a-z0-9-]+) ([0-9.]+)$");

  @Test
  @Timeout(360) // twelve systems; under a load of 20 on 2 cores ten took 122 s
  void quickRunPrintsEveryRowAndParseableRatios(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    Path md = dir.resolve("bench.md");
    Path html = dir.resolve("bench.html");
    int code = BenchMain.run(new String[] {"--quick", "--samples", "100", "--markdown",
        md.toString(), "--html", html.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(progress, true, StandardCharsets.UTF_8));
    String report = out.toString(StandardCharsets.UTF_8);
    System.out.println(report);
    System.out.println(progress.toString(StandardCharsets.UTF_8));

    assertThat(code).isZero();
    assertThat(Files.readString(md)).isEqualTo(report);
    String page = Files.readString(html);
    for (String system : BenchSettings.SYSTEMS) {
      assertThat(page).as("the HTML report shows %s", system).contains(">" + system + "<");
    }
    assertThat(page).contains("<h3>rtt</h3>", "<h3>cancel_release</h3>", "<svg")
        .doesNotContain("<script");
    assertThat(progress.toString(StandardCharsets.UTF_8))
        .containsPattern("\\[bench 12/12 systems, [0-9.]+ (s|ms)\\] raw-tcp-spin: rtt [0-9.]+ (s|ms)")
        .contains("HTML report: " + html.toAbsolutePath());
    Map<String, String[]> rows = tableRows(report);
    for (String system : BenchSettings.SYSTEMS) {
      for (Metric m : Metric.values()) {
        boolean raw = system.startsWith("raw-");
        if ((m == Metric.ONE_WAY || m == Metric.ONE_WAY_COLD) && !raw) {
          continue;
        }
        String[] cells = rows.get(system + "/" + m.id());
        assertThat(cells).as("row %s %s", system, m.id()).isNotNull();
        String first = cells[2];
        assertThat(first).as("%s %s", system, m.id()).doesNotStartWith("error");
        if (first.startsWith("n/a: ")) {
          assertThat(first.length()).as("n/a needs a reason").isGreaterThan(10);
          continue;
        }
        checkNumbers(system, m, cells);
      }
    }
    // Rows that must be measured, not n/a.
    for (String system : List.of("tether-uds", "tether-tcp", "grpc", "lsp4j")) {
      for (Metric m : List.of(Metric.RTT, Metric.RTT_RECORD, Metric.THROUGHPUT_16,
          Metric.CANCEL_RELEASE, Metric.CANCEL_OBSERVE, Metric.CANCEL_RELEASE_COLD,
          Metric.CANCEL_OBSERVE_COLD, Metric.CANCEL_10K_RELEASE,
          Metric.CANCEL_10K_OBSERVE, Metric.MEM_PER_PENDING)) {
        assertThat(rows.get(system + "/" + m.id())[2]).as("%s %s", system, m.id())
            .doesNotStartWith("n/a");
      }
    }
    for (Metric m : List.of(Metric.RTT, Metric.RTT_RECORD, Metric.THROUGHPUT_16)) {
      assertThat(rows.get("tether-tls/" + m.id())[2]).as("tether-tls %s", m.id())
          .doesNotStartWith("n/a");
    }
    assertThat(rows.get("tether-uds/cancel_overhead")[2]).doesNotStartWith("n/a");
    for (String nospin : List.of("tether-uds-nospin", "tether-tcp-nospin")) {
      assertThat(rows.get(nospin + "/rtt")[2]).as(nospin).doesNotStartWith("n/a");
    }
    assertThat(report).contains("the blocking raw floor (raw-uds", "target with spinning off");
    assertThat(rows.get("rmi/rtt")[2]).doesNotStartWith("n/a");
    for (String raw : List.of("raw-uds", "raw-tcp")) {
      assertThat(rows.get(raw + "/one_way_cold")[2]).as(raw).doesNotStartWith("n/a");
      assertThat(rows.get(raw + "-spin/rtt")[2]).as(raw + "-spin").doesNotStartWith("n/a");
      assertThat(rows.get(raw + "-spin/one_way_cold")[2]).as(raw + "-spin").startsWith("n/a");
    }
    assertThat(report).contains("cancel_observe_cold p50", "the spin-polled raw floor");
    assertThat(rows.get("rmi/cancel_release")[2]).startsWith("n/a");

    List<String> ratios = ratioLines(report);
    assertThat(ratios).isNotEmpty();
    for (String peer : Table.PEERS) {
      assertThat(ratios).contains("RATIO rtt_p50 " + peer);
    }
    for (String peer : Table.TCP_PEERS) {
      assertThat(ratios).contains("RATIO_TCP rtt_p50 " + peer);
    }
    assertThat(ratios).contains("RATIO_TLS rtt_p50 tether-tcp", "RATIO_TLS throughput_16 tether-tcp");
    assertThat(ratios).contains("RATIO_NOSPIN rtt_p50 raw-uds", "RATIO_TCP_NOSPIN rtt_p50 raw-tcp");
    assertThat(ratios).contains("RATIO cancel_release_p50 grpc", "RATIO cancel_observe_p99 lsp4j",
        "RATIO throughput_16 rmi", "RATIO mem_per_pending grpc");
    assertThat(report).contains("CLOCK_MONOTONIC");
  }

  private static void checkNumbers(String system, Metric m, String[] cells) {
    List<Double> values = new ArrayList<>();
    for (int i = 2; i <= 4; i++) {
      if (!cells[i].equals("-")) {
        values.add(Double.parseDouble(cells[i]));
      }
    }
    assertThat(values).as("%s %s numbers", system, m.id()).isNotEmpty();
    for (double v : values) {
      assertThat(Double.isFinite(v)).as("%s %s finite", system, m.id()).isTrue();
      if (m != Metric.CANCEL_OVERHEAD) { // a difference of two noisy medians may be negative
        assertThat(v).as("%s %s positive", system, m.id()).isPositive();
      }
    }
    if (m.hasPercentiles()) {
      assertThat(cells[2]).isNotEqualTo("-");
      assertThat(cells[3]).isNotEqualTo("-");
    }
    assertThat(cells[5]).isEqualTo(m.unit());
    assertThat(Long.parseLong(cells[6])).isPositive();
  }

  /** "system/metric" to the row's cells (0 = system, 1 = metric, 2 = p50...). */
  private static Map<String, String[]> tableRows(String report) {
    Map<String, String[]> rows = new HashMap<>();
    for (String line : report.split("\n")) {
      if (!line.startsWith("| ") || line.startsWith("| system ")) {
        continue;
      }
      String[] raw = line.substring(1, line.length() - 1).split("\\|", -1);
      String[] cells = new String[raw.length];
      for (int i = 0; i < raw.length; i++) {
        cells[i] = raw[i].trim();
      }
      assertThat(cells).as("columns of %s", line).hasSize(8);
      assertThat(rows.put(cells[0] + "/" + cells[1], cells)).as("duplicate row %s", line).isNull();
    }
    return rows;
  }

  /** "RATIO key peer" of every RATIO line, after checking that the line parses. */
  private static List<String> ratioLines(String report) {
    List<String> keys = new ArrayList<>();
    for (String line : report.split("\n")) {
      if (!line.startsWith("RATIO")) {
        continue;
      }
      Matcher m = RATIO.matcher(line);
      assertThat(m.matches()).as("RATIO line '%s'", line).isTrue();
      double v = Double.parseDouble(m.group(4));
      assertThat(Double.isFinite(v) && v > 0).as(line).isTrue();
      keys.add(m.group(1) + " " + m.group(2) + " " + m.group(3));
    }
    return keys;
  }
}
