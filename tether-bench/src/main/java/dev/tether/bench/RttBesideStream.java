package dev.tether.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@link StreamBench}'s small calls beside a transfer (issue 15's target: their round-trip p99
 * within 2x their baseline), in rotating blocks ({@link PingBlocks}), with the floor this machine
 * allows measured the same way in the same rounds:
 *
 * <ul>
 *   <li>{@code tether-uds}: {@code ping} on a Tether connection alone ({@code rtt_baseline}), and
 *       on the same connection while a result stream is read as fast as possible
 *       ({@code rtt_during_stream}); with the default 1 MiB window and, in a second connection, a
 *       128 KiB client window ({@code _window128k}).
 *   <li>{@code raw-uds}, the floor: a blocking ping-pong of Tether's CALL frame's size on a raw
 *       connection of its own, alone and while a raw bulk copy (64 KiB blocking reads, as
 *       {@code stream_mb_s_down}'s raw row) runs on another connection between the same two
 *       processes ({@code rtt_during_copy}). What it includes: both cores moving bulk data, and the
 *       pinging and echoing threads sleeping in the kernel between messages. What it does not: a
 *       ping's answer queued behind bulk data in the same socket (a raw connection cannot carry
 *       both), and a hand-off between threads in either process.
 *   <li>{@code tether-uds rtt_during_copy}: Tether's pings while that raw copy runs, so the part
 *       of {@code rtt_during_stream} that is the busy machine's shows apart from the part that is
 *       sharing the connection with the stream.
 * </ul>
 *
 * Not thread-safe: one thread measures, then reads {@link #rows} and {@link #ratios}.
 */
final class RttBesideStream {
  private final PingBlocks blocks;
  private final int rounds;
  private final int perBlock;
  /** Report rows: metric, system, value, how. */
  final List<String[]> rows = new ArrayList<>();
  /** {@code RATIO} lines. */
  final List<String> ratios = new ArrayList<>();

  /** {@code rounds} rounds of blocks of {@code perBlock} counted pings each. */
  RttBesideStream(int rounds, int perBlock, PrintStream progress) {
    this.blocks = new PingBlocks(rounds, perBlock, Math.max(20, perBlock / 10), progress);
    this.rounds = rounds;
    this.perBlock = perBlock;
  }

  /**
   * Measures everything in the same rounds: Tether's pings on {@code svc} and on {@code small}
   * (a connection with a 128 KiB client window), and the raw floor against the
   * {@link RawStreamServer} at {@code rawAddress} (a Unix socket).
   */
  void measure(StreamBenchService svc, StreamBenchService small, String rawAddress)
      throws Exception {
    int size = RawBench.callFrameBytes("echo", 7);
    try (SocketChannel echo = RawStreamServer.connect(rawAddress)) {
      echo.write(ByteBuffer.wrap(new byte[] {'E'}));
      PingBlocks.Ping tetherPing = pingOf(svc);
      PingBlocks.Ping rawPing = rawPing(echo, size);
      PingBlocks.Transfer rawCopy = () -> rawCopy(rawAddress);
      PingBlocks.Ping smallPing = pingOf(small);
      Map<String, PingBlocks.Result> r = blocks.run(List.of(
          new PingBlocks.Condition("tether", tetherPing, null),
          new PingBlocks.Condition("tether_stream", tetherPing, () -> resultStream(svc)),
          new PingBlocks.Condition("raw", rawPing, null),
          new PingBlocks.Condition("raw_copy", rawPing, rawCopy),
          new PingBlocks.Condition("tether_copy", tetherPing, rawCopy),
          new PingBlocks.Condition("tether128k", smallPing, null),
          new PingBlocks.Condition("tether128k_stream", smallPing, () -> resultStream(small))));
      report(r, size);
    }
  }

  private void report(Map<String, PingBlocks.Result> r, int size) {
    String blocksNote = String.format(Locale.ROOT, "%,d pings in %d blocks of %,d, one block of "
        + "each condition per round, the order rotating", rounds * perBlock, rounds, perBlock);
    row("rtt_baseline", "tether-uds", r.get("tether"), "on the connection alone (1 MiB window); "
        + blocksNote);
    row("rtt_during_stream", "tether-uds", r.get("tether_stream"), "on the same connection while "
        + "a result stream is read as fast as possible (1 MiB window"
        + moved(r.get("tether_stream")) + "); " + blocksNote);
    row("rtt_baseline_window128k", "tether-uds", r.get("tether128k"), "on a connection with a "
        + "128 KiB client window, alone; " + blocksNote);
    row("rtt_during_stream_window128k", "tether-uds", r.get("tether128k_stream"), "on that "
        + "connection while a result stream is read" + moved(r.get("tether128k_stream")) + "; "
        + blocksNote);
    row("rtt_during_copy", "tether-uds", r.get("tether_copy"), "on the Tether connection while a "
        + "raw bulk copy runs on another" + moved(r.get("tether_copy")) + "; " + blocksNote);
    row("rtt_baseline", "raw-uds", r.get("raw"), "blocking ping-pong of " + size + "-byte "
        + "messages on a raw connection of its own, alone; " + blocksNote);
    row("rtt_during_copy", "raw-uds", r.get("raw_copy"), "the same while a raw bulk copy runs on "
        + "another connection between the same two processes" + moved(r.get("raw_copy")) + "; "
        + blocksNote);
    ratios("rtt", "during_stream/baseline", r.get("tether_stream"), r.get("tether"));
    ratios("rtt_window128k", "during_stream/baseline", r.get("tether128k_stream"),
        r.get("tether128k"));
    ratios("rtt_raw", "during_copy/baseline", r.get("raw_copy"), r.get("raw"));
    ratios("rtt", "during_copy/baseline", r.get("tether_copy"), r.get("tether"));
  }

  private static String moved(PingBlocks.Result r) {
    return String.format(Locale.ROOT, ", ~%.0f MB/s moved while the pings ran", r.mbPerSecond());
  }

  private void row(String metric, String system, PingBlocks.Result r, String note) {
    rows.add(new String[] {metric, system, String.format(Locale.ROOT, "p50 %.1f µs, p99 %.1f µs",
        r.pooled.percentile(50) / 1e3, r.pooled.percentile(99) / 1e3), note});
  }

  /**
   * {@code RATIO <prefix>_p99 <what> pooled} (the pooled samples' p99s), then the median and
   * quartiles of the per-round ratios; the same for p50.
   */
  private void ratios(String prefix, String what, PingBlocks.Result over,
      PingBlocks.Result under) {
    for (int p : new int[] {99, 50}) {
      ratios.add(String.format(Locale.ROOT, "RATIO %s_p%d %s %.2f", prefix, p, what,
          (double) over.pooled.percentile(p) / under.pooled.percentile(p)));
      double[] per = PingBlocks.roundRatios(over, under, p);
      ratios.add(String.format(Locale.ROOT, "RATIO %s_p%d_rounds %s %.2f (quartiles %.2f-%.2f, "
          + "%d rounds)", prefix, p, what, PingBlocks.quantile(per, 0.5),
          PingBlocks.quantile(per, 0.25), PingBlocks.quantile(per, 0.75), per.length));
    }
  }

  private static PingBlocks.Ping pingOf(StreamBenchService svc) {
    int[] x = {0};
    return () -> svc.ping(x[0]++);
  }

  private static PingBlocks.Ping rawPing(SocketChannel ch, int size) {
    ByteBuffer out = RawBench.message(size);
    ByteBuffer in = ByteBuffer.allocateDirect(size);
    return () -> {
      RawBench.writeFully(ch, out.clear());
      RawStreamServer.readFully(ch, in.clear()); // an IOException if the raw echo closed
    };
  }

  /** An endless result stream, read by a thread of its own until closed. */
  private static PingBlocks.Running resultStream(StreamBenchService svc) {
    InputStream in = svc.source(Long.MAX_VALUE);
    byte[] b = new byte[64 * 1024];
    return new Reading(() -> in.read(b), in::close, () -> awaitSourceClosed(svc));
  }

  /** A raw bulk copy (the raw server writes zeros without end), read until closed. */
  private static PingBlocks.Running rawCopy(String address) throws IOException {
    SocketChannel ch = RawStreamServer.connect(address);
    ch.write(ByteBuffer.allocate(9).put((byte) 'D').putLong(Long.MAX_VALUE).flip());
    ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
    return new Reading(() -> ch.read(buf.clear()), ch::close, () -> { });
  }

  /** Waits until the server's pump closed its source: the stream is over on both sides. */
  private static void awaitSourceClosed(StreamBenchService svc) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (svc.stoppedAt() == 0) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("the server's stream did not stop within 30 s");
      }
      Thread.sleep(1);
    }
  }

  private interface Step {
    int read() throws IOException;
  }

  private interface Action {
    void run() throws Exception;
  }

  /** A thread that reads a transfer until told to stop; closing joins it, then closes. */
  private static final class Reading implements PingBlocks.Running {
    private final Thread thread;
    private final Action close;
    private final Action afterClose;
    private volatile boolean stop;
    private volatile long moved;
    private volatile Throwable failed;

    Reading(Step step, Action close, Action afterClose) {
      this.close = close;
      this.afterClose = afterClose;
      this.thread = Thread.ofPlatform().daemon().name("bench-transfer").start(() -> {
        try {
          int n;
          while (!stop && (n = step.read()) >= 0) {
            moved += n; // this thread only writes it
          }
        } catch (Throwable t) {
          failed = t;
        }
      });
    }

    @Override
    public long moved() {
      if (failed != null) {
        throw new IllegalStateException("the transfer failed", failed);
      }
      return moved;
    }

    @Override
    public void close() throws Exception {
      stop = true;
      thread.join(30_000);
      close.run();
      if (thread.isAlive()) {
        throw new IllegalStateException("the transfer's reader did not stop within 30 s");
      }
      afterClose.run();
      if (failed != null) {
        throw new IllegalStateException("the transfer failed", failed);
      }
    }
  }
}
