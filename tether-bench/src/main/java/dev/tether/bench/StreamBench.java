package dev.tether.bench;

import dev.tether.CancelScope;
import dev.tether.Registration;
import dev.tether.Tether;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Streams (issue 15): {@code stream_mb_s} (a transfer each way, Tether beside a raw socket copy
 * of the same bytes, over Unix sockets and loopback TCP, and over TCP beside gRPC-java client
 * and server streaming of 64 KiB messages ({@link GrpcStreams}), interleaved round by round,
 * every system warmed up with 16 MiB each way first), the time
 * from a cancel to both sides stopped ({@code stream_cancel}, p50/p99, each direction), and the
 * round trip of small calls on the same connection while a stream flows, beside their baseline
 * and beside the same pings over raw sockets next to a raw bulk copy ({@code rtt_during_stream},
 * {@link RttBesideStream}: rotating blocks, 50,000 pings per condition). Servers run in their
 * own JVMs ({@link ServerMain} kinds {@code stream-*}, {@code rawstream-*} and {@code grpc});
 * stop times come from {@code System.nanoTime} in both JVMs, which on Linux is one clock for
 * the whole machine.
 *
 * <p>Run: {@code java -cp tether-bench/target/tether-bench-all.jar dev.tether.bench.StreamBench
 * [--quick] [--rtt]}: 1 GiB each way (64 MiB quick), 3 rounds (1 quick); {@code --rtt}: only
 * the small calls beside a transfer (Unix socket, both windows, and the raw floor), with what the
 * transfers moved while the pings ran; {@code --tether-spin NANOS}: Tether's idle strategy
 * (client and server) instead of the default. Prints a markdown table and {@code RATIO} lines.
 */
public final class StreamBench {
  private final boolean quick;
  private boolean rttOnly;
  private final long bytes;
  private final int rounds;
  private final int samples;
  private final PrintStream progress;
  private final List<String[]> rows = new ArrayList<>();
  private final List<String> ratios = new ArrayList<>();

  StreamBench(boolean quick, PrintStream progress) {
    this.quick = quick;
    this.bytes = quick ? 64L << 20 : 1L << 30;
    this.rounds = quick ? 1 : 3;
    this.samples = quick ? 5 : 50;
    this.progress = progress;
  }

  /** {@code [--quick] [--rtt] [--tether-spin NANOS]}. */
  public static void main(String[] args) throws Exception {
    StreamBench b = new StreamBench(Arrays.asList(args).contains("--quick"), System.err);
    b.rttOnly = Arrays.asList(args).contains("--rtt");
    int spin = Arrays.asList(args).indexOf("--tether-spin"); // nanoseconds, client and servers
    if (spin >= 0) {
      System.setProperty(TetherBench.SPIN_PROPERTY, args[spin + 1]);
      System.setProperty("tether.bench.serverJvmArgs", (System.getProperty(
          "tether.bench.serverJvmArgs", "") + " -D" + TetherBench.SPIN_PROPERTY + "="
          + args[spin + 1]).trim());
    }
    System.out.print(b.run());
    System.exit(0);
  }

  /** Runs everything; returns the report. */
  String run() throws Exception {
    if (rttOnly) {
      try (ServerProcess tetherServer = ServerProcess.start("stream-uds", 60, List.of());
          ServerProcess rawServer = ServerProcess.start("rawstream-uds", 60, List.of())) {
        rttBesideStream(tetherServer.address(), rawServer.address());
      }
      return report();
    }
    for (String transport : List.of("uds", "tcp")) {
      try (ServerProcess tetherServer = ServerProcess.start("stream-" + transport, 60, List.of());
          ServerProcess rawServer = ServerProcess.start("rawstream-" + transport, 60, List.of());
          Tether client = Tether.connect(tetherServer.address(), TetherBench.options())) {
        StreamBenchService svc = client.get(StreamBenchService.class, "streams");
        if (transport.equals("tcp")) { // gRPC-java's Netty transport: TCP only
          try (ServerProcess grpcServer = ServerProcess.start("grpc", 60, List.of())) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1",
                grpcServer.port()).usePlaintext().build();
            try {
              throughput(transport, svc, rawServer.address(), channel);
            } finally {
              channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
          }
        } else {
          throughput(transport, svc, rawServer.address(), null);
        }
        if (transport.equals("uds")) {
          cancels(svc);
          rttBesideStream(tetherServer.address(), rawServer.address());
        }
      }
    }
    return report();
  }

  /** Tether, raw and (with a {@code grpc} channel) gRPC, interleaved round by round. */
  private void throughput(String transport, StreamBenchService svc, String raw,
      ManagedChannel grpc) throws Exception {
    long warm = 16L << 20; // every system gets the same warm-up
    svc.sink(new StreamBenchService.ZeroSource(warm));
    readAll(svc.source(warm));
    rawUp(raw, warm);
    rawDown(raw, warm);
    if (grpc != null) {
      GrpcStreams.upload(grpc, warm);
      GrpcStreams.download(grpc, warm);
    }
    // tether up, raw up, grpc up, tether down, raw down, grpc down
    double[][] mbs = new double[6][rounds];
    for (int r = 0; r < rounds; r++) {
      mbs[0][r] = rate(() -> check(svc.sink(new StreamBenchService.ZeroSource(bytes))));
      mbs[1][r] = rate(() -> check(rawUp(raw, bytes)));
      if (grpc != null) {
        mbs[2][r] = rate(() -> check(GrpcStreams.upload(grpc, bytes)));
      }
      mbs[3][r] = rate(() -> check(readAll(svc.source(bytes))));
      mbs[4][r] = rate(() -> check(rawDown(raw, bytes)));
      if (grpc != null) {
        mbs[5][r] = rate(() -> check(GrpcStreams.download(grpc, bytes)));
      }
      progress.printf(Locale.ROOT, "[stream] %s round %d: up %.0f / %.0f / %.0f MB/s, down %.0f /"
          + " %.0f / %.0f MB/s (tether / raw / grpc)%n", transport, r + 1, mbs[0][r], mbs[1][r],
          mbs[2][r], mbs[3][r], mbs[4][r], mbs[5][r]);
    }
    String what = mib(bytes) + ", median of " + rounds + " round(s), interleaved";
    add("stream_mb_s_up", "tether-" + transport, median(mbs[0]), what + "; InputStream argument");
    add("stream_mb_s_up", "raw-" + transport, median(mbs[1]), what + "; socket write, 64 KiB");
    if (grpc != null) {
      add("stream_mb_s_up", "grpc-" + transport, median(mbs[2]), what + "; client streaming, "
          + "64 KiB messages, sent while isReady()");
    }
    add("stream_mb_s_down", "tether-" + transport, median(mbs[3]), what + "; InputStream result");
    add("stream_mb_s_down", "raw-" + transport, median(mbs[4]), what + "; socket read, 64 KiB");
    if (grpc != null) {
      add("stream_mb_s_down", "grpc-" + transport, median(mbs[5]), what + "; server streaming, "
          + "64 KiB messages, blocking stub");
    }
    ratio("stream_mb_s_up_" + transport + " tether/raw", median(mbs[0]) / median(mbs[1]));
    ratio("stream_mb_s_down_" + transport + " tether/raw", median(mbs[3]) / median(mbs[4]));
    if (grpc != null) {
      ratio("stream_mb_s_up_" + transport + " tether/grpc", median(mbs[0]) / median(mbs[2]));
      ratio("stream_mb_s_down_" + transport + " tether/grpc", median(mbs[3]) / median(mbs[5]));
    }
  }

  private void ratio(String what, double value) {
    ratios.add(String.format(Locale.ROOT, "RATIO %s %.2f", what, value));
  }

  /** Cancel mid-transfer: from scope.cancel() to both sides stopped, each direction. */
  private void cancels(StreamBenchService svc) throws Exception {
    Histogram down = new Histogram();
    Histogram up = new Histogram();
    for (int i = 0; i < samples; i++) {
      CancelScope scope = CancelScope.open();
      InputStream in = svc.source(Long.MAX_VALUE);
      in.readNBytes(4 << 20);
      long t0 = System.nanoTime();
      scope.cancel();
      long client;
      try {
        readAll(in);
        throw new IllegalStateException("the stream did not stop");
      } catch (RuntimeException e) {
        client = System.nanoTime();
      }
      scope.close();
      down.add(Math.max(client, awaitStopped(svc)) - t0);

      CancelScope upScope = CancelScope.open();
      Counting source = new Counting();
      CompletableFuture<Long> clientStopped = new CompletableFuture<>();
      Thread.ofPlatform().daemon().start(() -> {
        try (Registration r = upScope.join()) {
          svc.sink(source);
        } catch (RuntimeException | IOException e) {
          // cancelled
        }
        clientStopped.complete(System.nanoTime());
      });
      while (source.read < (4L << 20)) {
        Thread.onSpinWait();
      }
      long t1 = System.nanoTime();
      upScope.cancel();
      long c = clientStopped.get(30, TimeUnit.SECONDS);
      long pumpStopped = source.closedAt.get(30, TimeUnit.SECONDS);
      upScope.close();
      up.add(Math.max(Math.max(c, pumpStopped), awaitStopped(svc)) - t1);
    }
    String what = samples + " cancels after 4 MiB, from CancelScope.cancel() to the later of "
        + "the client's and the server's side stopped (Unix socket)";
    addLatency("stream_cancel_down", down, what + "; result stream");
    addLatency("stream_cancel_up", up, what + "; argument stream");
  }

  private static long awaitStopped(StreamBenchService svc) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long t;
    while ((t = svc.stoppedAt()) == 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the server did not stop within 30 s");
      }
      Thread.onSpinWait();
    }
    return t;
  }

  /**
   * Small calls alone and while a stream flows, on the default and a 128 KiB client window, with
   * the raw floor, in rotating blocks ({@link RttBesideStream}): 20 rounds of 2,500 pings per
   * condition (50,000 each; 4 of 250 quick).
   */
  private void rttBesideStream(String tetherAddress, String rawAddress) throws Exception {
    RttBesideStream rtt = new RttBesideStream(quick ? 4 : 20, quick ? 250 : 2_500, progress);
    try (Tether client = Tether.connect(tetherAddress, TetherBench.options());
        Tether small = Tether.connect(tetherAddress,
            TetherBench.options().withStreamWindowBytes(128 * 1024))) {
      rtt.measure(client.get(StreamBenchService.class, "streams"),
          small.get(StreamBenchService.class, "streams"), rawAddress);
    }
    rows.addAll(rtt.rows);
    ratios.addAll(rtt.ratios);
  }

  static long rawUp(String address, long bytes) throws IOException {
    try (SocketChannel ch = RawStreamServer.connect(address)) {
      ch.write(ByteBuffer.wrap(new byte[] {'U'}));
      ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
      for (long left = bytes; left > 0; ) {
        buf.clear().limit((int) Math.min(buf.capacity(), left));
        left -= ch.write(buf);
      }
      ch.shutdownOutput();
      ByteBuffer count = ByteBuffer.allocate(8);
      RawStreamServer.readFully(ch, count);
      return count.getLong(0);
    }
  }

  static long rawDown(String address, long bytes) throws IOException {
    try (SocketChannel ch = RawStreamServer.connect(address)) {
      ch.write(ByteBuffer.allocate(9).put((byte) 'D').putLong(bytes).flip());
      ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
      long total = 0;
      int n;
      while ((n = ch.read(buf.clear())) >= 0) {
        total += n;
      }
      return total;
    }
  }

  static long readAll(InputStream in) throws IOException {
    try (in) {
      byte[] b = new byte[64 * 1024];
      long total = 0;
      int n;
      while ((n = in.read(b)) >= 0) {
        total += n;
      }
      return total;
    }
  }

  private void check(long moved) {
    if (moved != bytes) {
      throw new IllegalStateException("moved " + moved + " bytes, expected " + bytes);
    }
  }

  private interface Transfer {
    void run() throws Exception;
  }

  /** MB/s (10^6 bytes) of one transfer of {@link #bytes}. */
  private double rate(Transfer t) throws Exception {
    long t0 = System.nanoTime();
    t.run();
    return bytes / 1e6 / ((System.nanoTime() - t0) / 1e9);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  private static String mib(long b) {
    return (b >> 20) + " MiB";
  }

  private void add(String metric, String system, double mbs, String note) {
    rows.add(new String[] {metric, system, String.format(Locale.ROOT, "%.0f MB/s", mbs), note});
  }

  private void addLatency(String metric, Histogram h, String note) {
    rows.add(new String[] {metric, "tether-uds", String.format(Locale.ROOT,
        "p50 %.1f µs, p99 %.1f µs", h.percentile(50) / 1e3, h.percentile(99) / 1e3), note});
  }

  private String report() {
    StringBuilder sb = new StringBuilder("# Tether streams" + (quick ? " (--quick)" : "")
        + "\n\n| metric | system | value | how |\n|---|---|---|---|\n");
    for (String[] r : rows) {
      sb.append("| ").append(String.join(" | ", r)).append(" |\n");
    }
    sb.append('\n');
    for (String r : ratios) {
      sb.append(r).append('\n');
    }
    return sb.toString();
  }

  /** An endless source of zeros that counts and notes when it is closed. */
  private static final class Counting extends InputStream {
    volatile long read;
    final CompletableFuture<Long> closedAt = new CompletableFuture<>();

    @Override
    public int read() {
      read++;
      return 0;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      Arrays.fill(b, off, off + len, (byte) 0);
      read += len;
      return len;
    }

    @Override
    public void close() {
      closedAt.complete(System.nanoTime());
    }
  }
}
