package dev.tether.bench;

import dev.tether.Tether;
import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a stream's CPU goes: client and server in one JVM over a Unix socket, a transfer of
 * zero bytes each way (a source that fills nothing, a sink that checks nothing), CPU time per
 * thread kind (ThreadMXBean, milliseconds per GiB moved) and GC time. Load-independent enough to
 * compare builds on a busy machine, unlike {@link StreamBench}'s MB/s. Not part of the table.
 *
 * <p>{@code [MiB per transfer, default 512] [rounds, default 3]}.
 */
public final class StreamCostProbe {
  private StreamCostProbe() {}

  /** The service: a sink and a source of zeros. */
  public interface Zeros {
    /** Reads {@code in} to its end; returns how many bytes it had. */
    long sink(InputStream in) throws IOException;

    /** {@code bytes} bytes, produced as they are read. */
    InputStream source(long bytes);
  }

  static final class Impl implements Zeros {
    @Override
    public long sink(InputStream in) throws IOException {
      byte[] b = new byte[64 * 1024];
      long t = 0;
      int n;
      while ((n = in.read(b)) >= 0) {
        t += n;
      }
      return t;
    }

    @Override
    public InputStream source(long bytes) {
      return new Zero(bytes);
    }
  }

  static final class Zero extends InputStream {
    private long left;

    Zero(long left) {
      this.left = left;
    }

    @Override
    public int read() {
      return left-- > 0 ? 0 : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left <= 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      left -= n;
      return n;
    }
  }

  private static Map<String, Long> cpu() {
    var mx = ManagementFactory.getThreadMXBean();
    Map<String, Long> m = new HashMap<>();
    for (long id : mx.getAllThreadIds()) {
      var info = mx.getThreadInfo(id);
      long c = mx.getThreadCpuTime(id);
      if (info == null || c < 0) {
        continue;
      }
      String n = info.getThreadName().replaceAll("[ 0-9@].*", "");
      m.merge(n.isEmpty() ? "?" : n, c, Long::sum);
    }
    return m;
  }

  private static long gcMs() {
    long t = 0;
    for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
      t += g.getCollectionTime();
    }
    return t;
  }

  /** Runs the probe; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    long bytes = (args.length > 0 ? Long.parseLong(args[0]) : 512) << 20;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    try (TetherServer server = TetherServer.builder().export("z", Zeros.class, new Impl()).start();
        Tether client = Tether.connect(server.address(), TetherOptions.defaults())) {
      Zeros z = client.get(Zeros.class, "z");
      z.sink(new Zero(64 << 20));
      new Impl().sink(z.source(64 << 20));
      for (int round = 0; round < rounds; round++) {
        for (String dir : new String[] {"down", "up"}) {
          Map<String, Long> before = cpu();
          long gc0 = gcMs();
          long t0 = System.nanoTime();
          long moved = dir.equals("down") ? new Impl().sink(z.source(bytes))
              : z.sink(new Zero(bytes));
          long t = System.nanoTime() - t0;
          Map<String, Long> after = cpu();
          double gib = moved / (double) (1L << 30);
          Map<String, Long> d = new TreeMap<>();
          long total = 0;
          for (var e : after.entrySet()) {
            long dv = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            total += dv;
            if (dv > 2_000_000) {
              d.put(e.getKey(), Math.round(dv / 1e6 / gib));
            }
          }
          System.out.printf(Locale.ROOT, "PROBE %-4s %5.0f MB/s  cpu %4d ms/GiB  gc %3d ms  %s%n",
              dir, moved / (t / 1e9) / 1e6, Math.round(total / 1e6 / gib), gcMs() - gc0, d);
        }
      }
    }
  }
}
