package dev.tether.bench;

import dev.tether.Tether;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a stream's CPU goes across both JVMs: {@link StreamBench}'s servers (Tether and a raw
 * socket copy, each in its own JVM), a transfer each way, interleaved with the raw copy, and per
 * transfer the CPU time of every thread kind of the client (this JVM) and the server, from
 * {@code /proc} (Linux only; 10 ms ticks), in milliseconds per GiB, with voluntary and involuntary
 * context switches per MiB. {@code PROC} is the whole process, which also counts threads that
 * ended during the transfer (the pumps). CPU time holds on a loaded machine where MB/s does not.
 * Not part of the table.
 *
 * <p>{@code [MiB per transfer, default 1024] [rounds, default 3] [transports, default uds,tcp]
 * [directions, default up,down]}.
 */
public final class StreamThreadCpu {
  private StreamThreadCpu() {}

  /** Per thread kind of process {@code pid}: CPU ticks, voluntary and involuntary switches. */
  private static Map<String, long[]> threads(long pid) throws IOException {
    Map<String, long[]> m = new TreeMap<>();
    Path taskDir = Path.of("/proc/" + pid + "/task");
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(taskDir)) {
      for (Path t : tasks) {
        try {
          String kind = Files.readString(t.resolve("comm")).trim().replaceAll("[0-9]+", "")
              .replaceAll(" .*", "");
          long[] a = m.computeIfAbsent(kind, k -> new long[3]);
          a[0] += ticks(Files.readString(t.resolve("stat")));
          for (String line : Files.readAllLines(t.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches")) {
              a[1] += Long.parseLong(line.split("\\s+")[1]);
            } else if (line.startsWith("nonvoluntary_ctxt_switches")) {
              a[2] += Long.parseLong(line.split("\\s+")[1]);
            }
          }
        } catch (IOException | RuntimeException ended) {
          // the thread ended while it was read: the process total still has it
        }
      }
    }
    m.put("PROC", new long[] {ticks(Files.readString(Path.of("/proc/" + pid + "/stat"))), 0, 0});
    return m;
  }

  /** User plus system CPU ticks from a {@code stat} line. */
  private static long ticks(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  private static String diff(Map<String, long[]> before, Map<String, long[]> after, double gib) {
    StringBuilder sb = new StringBuilder();
    for (var e : after.entrySet()) {
      long[] b = before.getOrDefault(e.getKey(), new long[3]);
      long ms = (e.getValue()[0] - b[0]) * 10;
      if (ms > 5 || e.getKey().equals("PROC")) {
        sb.append(String.format(Locale.ROOT, " %s=%.0f", e.getKey(), ms / gib));
        if (!e.getKey().equals("PROC")) {
          sb.append(String.format(Locale.ROOT, "(%.1f/%.1f)", (e.getValue()[1] - b[1]) / gib / 1024,
              (e.getValue()[2] - b[2]) / gib / 1024));
        }
      }
    }
    return sb.toString();
  }

  /** Runs the probe; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    long bytes = (args.length > 0 ? Long.parseLong(args[0]) : 1024) << 20;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    List<String> transports = List.of((args.length > 2 ? args[2] : "uds,tcp").split(","));
    List<String> directions = List.of((args.length > 3 ? args[3] : "up,down").split(","));
    long self = ProcessHandle.current().pid();
    double gib = bytes / (double) (1L << 30);
    System.out.println("ms CPU per GiB per thread kind (voluntary/involuntary switches per MiB)");
    for (String transport : transports) {
      try (ServerProcess tether = ServerProcess.start("stream-" + transport, 60, List.of());
          ServerProcess raw = ServerProcess.start("rawstream-" + transport, 60, List.of());
          Tether client = Tether.connect(tether.address(), TetherBench.options())) {
        StreamBenchService svc = client.get(StreamBenchService.class, "streams");
        long warm = 64L << 20;
        svc.sink(new StreamBenchService.ZeroSource(warm));
        StreamBench.readAll(svc.source(warm));
        double[][] mbs = new double[4][rounds];
        for (int r = 0; r < rounds; r++) {
          for (int kind = 0; kind < 4; kind++) {
            if (!directions.contains(kind < 2 ? "up" : "down")) {
              continue;
            }
            boolean tetherKind = kind % 2 == 0;
            long pid = tetherKind ? tether.pid() : raw.pid();
            Map<String, long[]> c0 = threads(self);
            Map<String, long[]> s0 = threads(pid);
            long t0 = System.nanoTime();
            long moved = switch (kind) {
              case 0 -> svc.sink(new StreamBenchService.ZeroSource(bytes));
              case 1 -> StreamBench.rawUp(raw.address(), bytes);
              case 2 -> StreamBench.readAll(svc.source(bytes));
              default -> StreamBench.rawDown(raw.address(), bytes);
            };
            mbs[kind][r] = bytes / 1e6 / ((System.nanoTime() - t0) / 1e9);
            if (moved != bytes) {
              throw new IllegalStateException("moved " + moved + " of " + bytes + " bytes");
            }
            String what = (tetherKind ? "tether " : "raw    ") + (kind < 2 ? "up  " : "down");
            System.out.printf(Locale.ROOT, "%s %s round %d %5.0f MB/s  client%s%n", transport,
                what, r + 1, mbs[kind][r], diff(c0, threads(self), gib));
            System.out.printf(Locale.ROOT, "%31s server%s%n", "", diff(s0, threads(pid), gib));
          }
        }
        System.out.printf(Locale.ROOT, "RATIO %s tether/raw up %.2f down %.2f (medians)%n",
            transport, median(mbs[0]) / median(mbs[1]), median(mbs[2]) / median(mbs[3]));
      }
    }
    System.exit(0);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
