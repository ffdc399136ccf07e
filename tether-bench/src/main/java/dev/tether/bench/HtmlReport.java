package dev.tether.bench;

import dev.tether.cli.BenchSettings;
import dev.tether.cli.Units;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark as one self-contained HTML page: for every latency metric, the distribution of
 * every system side by side on one logarithmic time axis (inline SVG), bars for the single-value
 * metrics, the RATIO lines and every row in human units. No script, no style sheet or font from
 * elsewhere: it opens offline and can be committed. Stateless.
 */
public final class HtmlReport {
  private static final int WIDTH = 820;
  private static final int LABEL = 110;
  private static final int PLOT_LEFT = 120;
  private static final int PLOT_RIGHT = 600;
  private static final int ROW = 30;
  private static final int TOP = 28;
  private static final String[] COLOURS = {"#1f6feb", "#0a9396", "#bb3e03", "#9b2226", "#6a4c93",
      "#5c677d", "#33415c"};
  private static final Map<Metric, String> WHAT = new LinkedHashMap<>();

  static {
    WHAT.put(Metric.RTT, "round trip of int echo(int)");
    WHAT.put(Metric.RTT_RECORD, "round trip of a record with a String and a 1 KiB byte[]");
    WHAT.put(Metric.CANCEL_RELEASE, "from the cancel (no grace) to the caller running again");
    WHAT.put(Metric.CANCEL_OBSERVE, "from the cancel to the server method seeing it");
    WHAT.put(Metric.CANCEL_RELEASE_COLD, "cancel_release after the call was pending 50 ms on an"
        + " idle connection (both sides asleep)");
    WHAT.put(Metric.CANCEL_OBSERVE_COLD, "cancel_observe after the call was pending 50 ms on an"
        + " idle connection (both sides asleep)");
    WHAT.put(Metric.ONE_WAY_COLD, "raw sockets: one message after 50 ms of silence, until the"
        + " server read it (the floor of a cold cancel)");
    WHAT.put(Metric.CANCEL_10K_RELEASE, "10,000 pending calls cancelled: until every caller"
        + " is released (one sample per round)");
    WHAT.put(Metric.CANCEL_10K_OBSERVE, "10,000 pending calls cancelled: until the server saw"
        + " every cancel (one sample per round)");
    WHAT.put(Metric.THROUGHPUT_16, "calls per second, 16 caller threads on one connection"
        + " (higher is better)");
    WHAT.put(Metric.MEM_PER_PENDING, "client heap per pending call at 10,000 pending calls");
  }

  private HtmlReport() {}

  /** The page for {@code rows}, measured with {@code plan} in {@code seconds}. */
  public static String render(BenchPlan plan, List<Row> rows, List<String> ratios,
      double seconds) {
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>Tether benchmark</title>\n<style>\n")
        .append("body{font-family:system-ui,sans-serif;max-width:880px;margin:2em auto;")
        .append("padding:0 1em;color:#222}\n")
        .append("h3{margin-bottom:.2em}p.what{margin-top:0;color:#555}\n")
        .append("table{border-collapse:collapse;font-size:90%}\n")
        .append("td,th{border-bottom:1px solid #ddd;padding:2px 8px;text-align:left}\n")
        .append("td.n{text-align:right;font-variant-numeric:tabular-nums}\n")
        .append("svg text{font-family:system-ui,sans-serif;font-size:12px}\n")
        .append("</style>\n</head>\n<body>\n<h1>Tether benchmark")
        .append(plan.quick() ? " (--quick)" : "").append("</h1>\n");
    h.append(String.format(Locale.ROOT, "<p>%d samples per percentile metric, %d warm-up calls;"
            + " Java %s on %d cores; %s. Every server in its own JVM; every client in the"
            + " benchmark's JVM, one system after the other.</p>%n", plan.samples(),
        plan.warmup(), esc(Runtime.version().toString()),
        Runtime.getRuntime().availableProcessors(), Units.duration(seconds * 1e9, "µ")));
    h.append("<p>Each line: the thin line spans p1 to p99.9, the thick one p5 to p95, the box"
        + " p25 to p75; the dark bar is the median, the dot p99. Logarithmic time axis.</p>\n");
    for (Metric m : Metric.values()) {
      List<Row> dist = rows.stream()
          .filter(r -> r.metric() == m && r.measured() && r.distribution() != null).toList();
      if (!dist.isEmpty()) {
        section(h, m);
        distributions(h, dist);
      }
    }
    for (Metric m : List.of(Metric.THROUGHPUT_16, Metric.MEM_PER_PENDING)) {
      List<Row> values = rows.stream()
          .filter(r -> r.metric() == m && r.measured() && Double.isFinite(r.value())).toList();
      if (!values.isEmpty()) {
        section(h, m);
        bars(h, values);
      }
    }
    if (!ratios.isEmpty()) {
      h.append("<h2>Ratios</h2>\n<p class=\"what\">Tether over its peer: below 1, Tether is"
          + " faster or smaller (for throughput_16, above 1 means more calls per second).</p>\n"
          + "<table>\n<tr><th>compared</th><th>metric</th><th>peer</th><th>ratio</th></tr>\n");
      for (String r : ratios) {
        String[] p = r.split(" ");
        h.append("<tr><td>").append(esc(p[0])).append("</td><td>").append(esc(p[1]))
            .append("</td><td>").append(esc(p[2])).append("</td><td class=\"n\">")
            .append(esc(p[3])).append("</td></tr>\n");
      }
      h.append("</table>\n");
    }
    allRows(h, rows);
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  private static void section(StringBuilder h, Metric m) {
    h.append("<h3>").append(m.id()).append("</h3>\n<p class=\"what\">")
        .append(esc(WHAT.getOrDefault(m, ""))).append("</p>\n");
  }

  private static void distributions(StringBuilder h, List<Row> rows) {
    double lo = Double.MAX_VALUE;
    double hi = 0;
    for (Row r : rows) {
      lo = Math.min(lo, Math.max(1, r.distribution().at(1.0)));
      hi = Math.max(hi, r.distribution().at(99.9));
    }
    lo = Math.pow(10, Math.floor(Math.log10(lo)));
    hi = Math.max(hi * 1.05, lo * 10);
    Scale x = new Scale(lo, hi);
    int height = TOP + rows.size() * ROW + 8;
    svgOpen(h, height, rows.size());
    axis(h, x, height);
    int y = TOP;
    for (Row r : rows) {
      Distribution d = r.distribution();
      String c = colour(r.system());
      int mid = y + ROW / 2;
      h.append(text(LABEL, mid + 4, "end", r.system()));
      line(h, x.at(d.at(1.0)), x.at(d.at(99.9)), mid, c, 1);
      line(h, x.at(d.at(5.0)), x.at(d.at(95.0)), mid, c, 3);
      double b0 = x.at(d.at(25.0));
      double b1 = Math.max(x.at(d.at(75.0)), b0 + 1);
      h.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"12\""
          + " fill=\"%s\" fill-opacity=\"0.35\" stroke=\"%s\"/>%n", b0, mid - 6, b1 - b0, c, c));
      double med = x.at(d.at(50.0));
      h.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\""
          + " stroke=\"#111\" stroke-width=\"2.5\"/>%n", med, med, mid - 8, mid + 8));
      h.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%d\" r=\"3\" fill=\"%s\"/>%n",
          x.at(d.at(99.0)), mid, c));
      h.append(text(PLOT_RIGHT + 10, mid + 4, "start", "p50 " + dur(d.at(50.0)) + " · p99 "
          + dur(d.at(99.0))));
      y += ROW;
    }
    h.append("</svg>\n");
  }

  private static void bars(StringBuilder h, List<Row> rows) {
    double max = rows.stream().mapToDouble(Row::value).max().orElse(1);
    int height = 8 + rows.size() * ROW;
    svgOpen(h, height, rows.size());
    int y = 4;
    for (Row r : rows) {
      int mid = y + ROW / 2;
      double w = (PLOT_RIGHT - PLOT_LEFT) * r.value() / max;
      h.append(text(LABEL, mid + 4, "end", r.system()));
      h.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"14\""
          + " fill=\"%s\"/>%n", PLOT_LEFT, mid - 7, Math.max(1, w), colour(r.system())));
      String v = r.metric() == Metric.THROUGHPUT_16 ? Units.rate(r.value())
          : Units.bytes(r.value());
      h.append(text(PLOT_RIGHT + 10, mid + 4, "start", v));
      y += ROW;
    }
    h.append("</svg>\n");
  }

  private static void allRows(StringBuilder h, List<Row> rows) {
    h.append("<h2>Every row</h2>\n<table>\n<tr><th>system</th><th>metric</th><th>p50</th>"
        + "<th>p99</th><th>mean or value</th><th>samples</th><th>notes</th></tr>\n");
    for (Row r : rows) {
      h.append("<tr><td>").append(esc(r.system())).append("</td><td>").append(r.metric().id())
          .append("</td>");
      if (r.measured()) {
        h.append("<td class=\"n\">").append(human(r.metric(), r.p50())).append("</td>")
            .append("<td class=\"n\">").append(human(r.metric(), r.p99())).append("</td>")
            .append("<td class=\"n\">").append(human(r.metric(), r.value())).append("</td>")
            .append("<td class=\"n\">").append(r.samples()).append("</td><td>")
            .append(esc(r.note())).append("</td>");
      } else {
        h.append("<td colspan=\"5\">").append(esc(r.status())).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");
  }

  /** A table value in human units (the table's unit column says what {@code v} is in). */
  static String human(Metric m, double v) {
    if (!Double.isFinite(v)) {
      return "-";
    }
    return switch (m.unit()) {
      case "us" -> Units.duration(v * 1e3, "µ");
      case "ms" -> Units.duration(v * 1e6, "µ");
      case "ops/s" -> Units.rate(v);
      case "bytes" -> Units.bytes(v);
      case "%" -> String.format(Locale.ROOT, "%+.1f %%", v);
      default -> Table.num(v) + " " + m.unit();
    };
  }

  private static void svgOpen(StringBuilder h, int height, int rows) {
    h.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\""
        + " height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%d systems\">%n",
        WIDTH, height, WIDTH, height, rows));
  }

  private static void axis(StringBuilder h, Scale x, int height) {
    for (double decade = Math.pow(10, Math.floor(Math.log10(x.lo))); decade <= x.hi;
        decade *= 10) {
      for (int k : new int[] {1, 2, 5}) {
        double v = decade * k;
        if (v < x.lo || v > x.hi) {
          continue;
        }
        double px = x.at(v);
        h.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\""
            + " stroke=\"#ccc\"%s/>%n", px, px, TOP - 6, height - 4,
            k == 1 ? "" : " stroke-dasharray=\"2,3\""));
        h.append(text((int) Math.round(px), TOP - 10, "middle", dur((long) v)));
      }
    }
  }

  private static void line(StringBuilder h, double x0, double x1, int y, String c, int width) {
    h.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\""
        + " stroke=\"%s\" stroke-width=\"%d\"/>%n", x0, Math.max(x1, x0 + 0.5), y, y, c, width));
  }

  private static String text(int x, int y, String anchor, String s) {
    return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\">%s</text>%n",
        x, y, anchor, esc(s));
  }

  private static String dur(long nanos) {
    return Units.duration(nanos, "µ");
  }

  private static String colour(String system) {
    int i = BenchSettings.SYSTEMS.indexOf(system);
    return COLOURS[Math.floorMod(i < 0 ? system.hashCode() : i, COLOURS.length)];
  }

  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** Logarithmic nanoseconds to x pixels over the plot area. */
  private record Scale(double lo, double hi) {
    double at(double nanos) {
      double v = Math.min(Math.max(nanos, lo), hi);
      double f = (Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo));
      return PLOT_LEFT + f * (PLOT_RIGHT - PLOT_LEFT);
    }
  }
}
