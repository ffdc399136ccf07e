package dev.tether.bench;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints the results: a markdown table with one row per system and metric, then the RATIO lines
 * ({@code RATIO <metric> <peer> <tether/peer>} for Tether over its Unix-domain default, and
 * {@code RATIO_TCP ...} for Tether over TCP against the TCP peers, {@code RATIO_TLS ...} for
 * Tether over TLS against Tether over plain TCP, {@code RATIO_NOSPIN} and
 * {@code RATIO_TCP_NOSPIN} for Tether with spinning off against the blocking raw floor), then the
 * notes.
 */
public final class Table {
  /** Tether over its default transport, compared with every peer. */
  public static final String TETHER = "tether-uds";
  /** Tether over TCP, compared with the TCP peers. */
  public static final String TETHER_TCP = "tether-tcp";
  /** Tether over TCP with TLS 1.3, compared with {@link #TETHER_TCP}. */
  public static final String TETHER_TLS = "tether-tls";
  /** Tether over its Unix-domain socket with spinning off (no polling before a wait blocks). */
  public static final String TETHER_NOSPIN = "tether-uds-nospin";
  /** Tether over TCP with spinning off. */
  public static final String TETHER_TCP_NOSPIN = "tether-tcp-nospin";
  /** Peers in RATIO order. */
  public static final List<String> PEERS = List.of("rmi", "grpc", "lsp4j", "raw-uds", "raw-tcp",
      "raw-uds-spin", "raw-tcp-spin");
  /** Peers that run over TCP. */
  public static final List<String> TCP_PEERS = List.of("rmi", "grpc", "lsp4j", "raw-tcp",
      "raw-tcp-spin");

  private Table() {}

  /** The markdown table. */
  public static String markdown(List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("| system | metric | p50 | p99 | mean or ops/s | unit | samples | notes |\n");
    sb.append("|---|---|---:|---:|---:|---|---:|---|\n");
    for (Row r : rows) {
      sb.append("| ").append(r.system()).append(" | ").append(r.metric().id()).append(" | ");
      if (r.measured()) {
        sb.append(num(r.p50())).append(" | ").append(num(r.p99())).append(" | ")
            .append(num(r.value())).append(" | ").append(r.metric().unit()).append(" | ")
            .append(r.samples()).append(" | ").append(r.note());
      } else {
        sb.append(r.status()).append(" | | | | | ").append(r.note());
      }
      sb.append(" |\n");
    }
    return sb.toString();
  }

  /** The RATIO and RATIO_TCP lines for every key both sides measured. */
  public static List<String> ratios(List<Row> rows) {
    List<String> out = new ArrayList<>();
    addRatios(out, "RATIO", TETHER, PEERS, rows);
    addRatios(out, "RATIO_TCP", TETHER_TCP, TCP_PEERS, rows);
    addRatios(out, "RATIO_TLS", TETHER_TLS, List.of(TETHER_TCP), rows);
    addRatios(out, "RATIO_NOSPIN", TETHER_NOSPIN, List.of("raw-uds"), rows);
    addRatios(out, "RATIO_TCP_NOSPIN", TETHER_TCP_NOSPIN, List.of("raw-tcp"), rows);
    return out;
  }

  private static void addRatios(List<String> out, String tag, String tether, List<String> peers,
      List<Row> rows) {
    for (Metric m : Metric.values()) {
      Row t = find(rows, tether, m);
      if (t == null) {
        continue;
      }
      for (String key : m.ratioKeys()) {
        double tv = t.ratioValue(key);
        for (String peer : peers) {
          Row p = find(rows, peer, m);
          double pv = p == null ? Double.NaN : p.ratioValue(key);
          double ratio = tv / pv;
          if (Double.isFinite(ratio) && ratio > 0) {
            out.add(tag + " " + key + " " + peer + " " + ratioText(ratio));
          }
        }
      }
    }
  }

  private static Row find(List<Row> rows, String system, Metric m) {
    for (Row r : rows) {
      if (r.system().equals(system) && r.metric() == m) {
        return r;
      }
    }
    return null;
  }

  /** A number for the table: three significant digits, no exponent; "-" for NaN. */
  static String num(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    if (Math.abs(v) >= 1000) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
  }

  /** A ratio: two decimals, or three significant digits when smaller than 0.1. */
  static String ratioText(double v) {
    if (v >= 0.1) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
  }
}
