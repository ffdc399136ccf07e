package dev.tether.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The HTML report from rows with known samples: what it draws and how it labels it. */
class HtmlReportTest {
  private static Histogram uniform(long fromNanos, long toNanos, int n) {
    Histogram h = new Histogram();
    for (int i = 0; i < n; i++) {
      h.add(fromNanos + (toNanos - fromNanos) * i / (n - 1));
    }
    return h;
  }

  private static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    rows.add(Row.of("tether-uds", Metric.RTT, uniform(8_000, 20_000, 1000), ""));
    rows.add(Row.of("grpc", Metric.RTT, uniform(60_000, 200_000, 1000), "netty <shaded>"));
    rows.add(Row.of("tether-uds", Metric.CANCEL_RELEASE, uniform(5_000, 9_000, 100), ""));
    rows.add(Row.notApplicable("rmi", Metric.CANCEL_RELEASE, "RMI has no cancellation"));
    rows.add(Row.value("tether-uds", Metric.THROUGHPUT_16, 48_200, 10, ""));
    rows.add(Row.value("grpc", Metric.THROUGHPUT_16, 21_000, 10, ""));
    rows.add(Row.value("tether-uds", Metric.MEM_PER_PENDING, 1500, 1, ""));
    return rows;
  }

  @Test
  void drawsOneChartPerLatencyMetricWithEverySystemSideBySide() {
    String page = HtmlReport.render(BenchPlan.of(true, 100), rows(),
        Table.ratios(rows()), 42.0);

    assertThat(page).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
    assertThat(count(page, "<svg ")).as("rtt, cancel_release, throughput, memory").isEqualTo(4);
    String rtt = between(page, "<h3>rtt</h3>", "</svg>");
    assertThat(rtt).contains(">tether-uds<", ">grpc<")
        .contains("p50 14.0 µs · p99 19.9 µs") // uniform 8..20 µs over 1000 samples
        .contains("p50 130 µs · p99 199 µs");
    assertThat(between(page, "<h3>cancel_release</h3>", "</svg>")).contains(">tether-uds<")
        .doesNotContain(">rmi<"); // not measured: no line, but listed in the table
    assertThat(page).contains("RMI has no cancellation");
    assertThat(between(page, "<h3>throughput_16</h3>", "</svg>")).contains("48.2 k/s")
        .contains("21.0 k/s");
    assertThat(page).contains("1.46 KiB").contains("RATIO").contains("rtt_p50");
  }

  @Test
  void isSelfContainedAndEscapesText() {
    String page = HtmlReport.render(BenchPlan.of(true, 100), rows(), List.of(), 1.0);
    assertThat(page).doesNotContain("<script").doesNotContain("src=").doesNotContain("href=")
        .doesNotContain("@import").contains("netty &lt;shaded&gt;");
    // the only URL is the SVG namespace
    Matcher m = Pattern.compile("https?://[^\"]+").matcher(page);
    while (m.find()) {
      assertThat(m.group()).isEqualTo("http://www.w3.org/2000/svg");
    }
  }

  @Test
  void theMedianBarSitsLeftOfTheP99DotOnALogAxis() {
    String rtt = between(HtmlReport.render(BenchPlan.of(true, 100), rows(), List.of(), 1.0),
        "<h3>rtt</h3>", "</svg>");
    Matcher median = Pattern.compile("<line x1=\"([0-9.]+)\" x2=\"[0-9.]+\" y1=\"\\d+\" y2=\"\\d+\""
        + " stroke=\"#111\"").matcher(rtt);
    Matcher dot = Pattern.compile("<circle cx=\"([0-9.]+)\"").matcher(rtt);
    assertThat(median.find()).isTrue();
    assertThat(dot.find()).isTrue();
    assertThat(Double.parseDouble(median.group(1))).isLessThan(Double.parseDouble(dot.group(1)));
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  private static String between(String s, String from, String to) {
    int a = s.indexOf(from);
    assertThat(a).as(from).isNotNegative();
    return s.substring(a, s.indexOf(to, a));
  }
}
