package dev.tether.bench;

import java.util.List;

/**
 * The metrics of the side-by-side benchmark, in table order. Each row of the table is one system
 * and one metric; {@link #ratioKeys()} names the values that RATIO lines compare.
 */
public enum Metric {
  /** Round trip of {@code int echo(int)}. */
  RTT("rtt", "us", true),
  /** Round trip of a record with a String and a 1 KiB byte[], echoed back. */
  RTT_RECORD("rtt_record", "us", true),
  /** Calls per second, 16 caller threads sharing one connection, channel or stub. */
  THROUGHPUT_16("throughput_16", "ops/s", false),
  /** From the cancel (no grace) to the caller's thread running again. */
  CANCEL_RELEASE("cancel_release", "us", true),
  /** From the cancel to the server method seeing it. */
  CANCEL_OBSERVE("cancel_observe", "us", true),
  /**
   * Like {@link #CANCEL_RELEASE}, but cold: the call has been pending {@link #COLD_PENDING_MILLIS}
   * on an otherwise idle connection, so both sides' threads are asleep when the cancel comes.
   */
  CANCEL_RELEASE_COLD("cancel_release_cold", "us", true),
  /** Like {@link #CANCEL_OBSERVE}, cold (see {@link #CANCEL_RELEASE_COLD}). */
  CANCEL_OBSERVE_COLD("cancel_observe_cold", "us", true),
  /** 10,000 pending calls cancelled: until every caller is released. */
  CANCEL_10K_RELEASE("cancel_10k_release", "ms", false),
  /** 10,000 pending calls cancelled: until the server has seen every cancel. */
  CANCEL_10K_OBSERVE("cancel_10k_observe", "ms", false),
  /** Round trip p50 (p99) with cancellation enabled versus disabled. */
  CANCEL_OVERHEAD("cancel_overhead", "%", true),
  /** Client heap per pending call, at 10,000 pending calls. */
  MEM_PER_PENDING("mem_per_pending", "bytes", false),
  /** Half the raw ping-pong round trip p50: the one-way time a cancel needs at least. */
  ONE_WAY("one_way", "us", false),
  /**
   * Raw sockets only: one message sent after {@link #COLD_PENDING_MILLIS} of silence, from just
   * before the write to the server's {@code System.nanoTime()} when it read it (blocking sockets):
   * the floor of a cold cancel.
   */
  ONE_WAY_COLD("one_way_cold", "us", true);

  /** How long a cold metric's call (or raw message) waits on an idle connection first. */
  public static final long COLD_PENDING_MILLIS = 50;

  private final String id;
  private final String unit;
  private final boolean percentiles;

  Metric(String id, String unit, boolean percentiles) {
    this.id = id;
    this.unit = unit;
    this.percentiles = percentiles;
  }

  /** True for the metrics measured after the call waited {@link #COLD_PENDING_MILLIS}. */
  public boolean cold() {
    return this == CANCEL_RELEASE_COLD || this == CANCEL_OBSERVE_COLD || this == ONE_WAY_COLD;
  }

  /** The name in the table and in RATIO lines. */
  public String id() {
    return id;
  }

  /** The unit of the numbers in the table. */
  public String unit() {
    return unit;
  }

  /** True when the row has p50 and p99; false when it has a single value (in the mean column). */
  public boolean hasPercentiles() {
    return percentiles;
  }

  /** The names RATIO lines use: {@code id_p50}, {@code id_p99}, or just {@code id}. */
  public List<String> ratioKeys() {
    if (this == CANCEL_OVERHEAD || this == ONE_WAY || this == ONE_WAY_COLD) {
      return List.of(); // a property of Tether alone, or a reference value
    }
    return percentiles ? List.of(id + "_p50", id + "_p99") : List.of(id);
  }
}
