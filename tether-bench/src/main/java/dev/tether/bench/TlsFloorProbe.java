package dev.tether.bench;

import dev.tether.TlsSettings;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.transport.Link;
import dev.tether.internal.transport.Listener;
import dev.tether.internal.transport.TlsConfig;
import dev.tether.internal.transport.Transports;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The floor under issue 11's target (TLS round trip p50 at most 1.3x plain TCP's): a 64-byte
 * ping-pong with no frames, calls or threads of Tether's in it, each end polling (the
 * spin-polled floor: no wake-ups in the way), in one JVM, three kinds rotating in blocks so the
 * machine's state changes hit all alike: plain TCP over Tether's link, TLS 1.3 over Tether's
 * {@code TlsLink} (the {@code tether-tls} rows' certificate and trust), and TLS 1.3 over the
 * least code that can drive the JDK's {@code SSLEngine} ({@link BareTlsPingPong}). The bare
 * engine's ratio to plain is what the JDK's TLS costs a round trip at the least; {@code TlsLink}
 * over the bare engine is what Tether's link adds to it.
 *
 * <p>Run: {@code java -cp tether-bench/target/tether-bench-all.jar dev.tether.bench.TlsFloorProbe
 * [blocks [suite,...]]} (default 40 blocks of 5,000 round trips per kind, after 100,000 of
 * warm-up). Prints each kind's p50 over all blocks and three ratios, each with the median and
 * quartiles of its per-block ratios.
 */
public final class TlsFloorProbe {
  private static final int MESSAGE = 64;
  private static final int BLOCK = 5_000;
  /**
   * How long an end polls before it waits: 1 ms, so the pair being timed never sleeps (a 50 us
   * window, Tether's default, lets a pair fall into a regime where each end's wake-up outlasts
   * the other's window and both sleep every time), while the pair not being timed does.
   */
  static final long SPIN_NANOS = 1_000_000;

  private TlsFloorProbe() {}

  /** {@code [blocks [suite,...]]}: the suites, if given, apply to the bare engine only. */
  public static void main(String[] args) throws Exception {
    int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    Path store = BenchTls.makeKeyStore();
    TlsConfig serverTls = config(BenchTls.server(store), false);
    TlsConfig clientTls = config(BenchTls.client(store), true);
    try (Pair plain = Pair.open(null, null); Pair tls = Pair.open(serverTls, clientTls);
        BareTlsPingPong bare = BareTlsPingPong.open(serverTls.context(), clientTls.context(),
            MESSAGE, args.length > 1 ? args[1].split(",") : null)) {
      List<Kind> kinds = List.of(new Kind("plain TCP", plain::run),
          new Kind("TLS 1.3, TlsLink", tls::run), new Kind("TLS 1.3, bare SSLEngine", bare::run));
      for (Kind k : kinds) {
        k.timer.run(100_000);
      }
      for (int b = 0; b < blocks; b++) {
        for (int i = 0; i < kinds.size(); i++) { // rotate which goes first
          kinds.get((b + i) % kinds.size()).block(b, blocks);
        }
      }
      System.out.printf(Locale.ROOT, "raw link ping-pong, spin-polled, %d-byte messages, %d blocks"
          + " of %d rotating%n", MESSAGE, blocks, BLOCK);
      for (Kind k : kinds) {
        System.out.printf(Locale.ROOT, "%-24s p50 %.2f us, p99 %.2f us%n", k.name,
            percentile(k.all, 50) / 1e3, percentile(k.all, 99) / 1e3);
      }
      report("RATIO_TLS_FLOOR", kinds.get(1), kinds.get(0));
      report("RATIO_BARE_ENGINE_FLOOR", kinds.get(2), kinds.get(0));
      report("RATIO_TLSLINK_OVER_BARE", kinds.get(1), kinds.get(2));
    }
  }

  /** One line: {@code a}'s p50 over {@code b}'s, and the spread of their per-block ratios. */
  private static void report(String label, Kind a, Kind b) {
    double[] ratios = new double[a.medians.length];
    for (int i = 0; i < ratios.length; i++) {
      ratios[i] = (double) a.medians[i] / b.medians[i];
    }
    Arrays.sort(ratios);
    int n = ratios.length;
    System.out.printf(Locale.ROOT, "%s p50 %.2f (median of per-block ratios %.2f, quartiles"
        + " %.2f-%.2f); %s adds %.2f us a round trip to %s%n", label,
        (double) percentile(a.all, 50) / percentile(b.all, 50), ratios[n / 2], ratios[n / 4],
        ratios[3 * n / 4], a.name, (percentile(a.all, 50) - percentile(b.all, 50)) / 1e3, b.name);
  }

  /** Something that times round trips. */
  private interface Timer {
    long[] run(int n) throws IOException;
  }

  /** One kind of ping-pong and what its blocks measured. */
  private static final class Kind {
    final String name;
    final Timer timer;
    long[] all = new long[0];
    long[] medians = new long[0];

    Kind(String name, Timer timer) {
      this.name = name;
      this.timer = timer;
    }

    void block(int b, int blocks) throws IOException {
      if (all.length == 0) {
        all = new long[blocks * BLOCK];
        medians = new long[blocks];
      }
      long[] t = timer.run(BLOCK);
      System.arraycopy(t, 0, all, b * BLOCK, BLOCK);
      medians[b] = median(t);
    }
  }

  private static TlsConfig config(TlsSettings s, boolean client) {
    return new TlsConfig(s.sslContext(), false, client && s.verifiesHostname());
  }

  private static long median(long[] a) {
    return percentile(a, 50);
  }

  private static long percentile(long[] a, double p) {
    long[] c = a.clone();
    Arrays.sort(c);
    return c[(int) Math.min(c.length - 1, Math.round(p / 100 * (c.length - 1)))];
  }

  /** A client link and an echoing server thread over loopback TCP. */
  private static final class Pair implements AutoCloseable {
    private final Listener listener;
    private final Link client;
    private final Thread echo;

    private Pair(Listener listener, Link client, Thread echo) {
      this.listener = listener;
      this.client = client;
      this.echo = echo;
    }

    static Pair open(TlsConfig serverTls, TlsConfig clientTls) throws IOException {
      Listener listener = Transports.listen(Endpoint.parse("tcp:127.0.0.1:0"));
      Thread[] echo = new Thread[1];
      // the echo starts as soon as it accepts: a TLS server's handshake runs in its first reads
      Thread acceptor = Thread.ofPlatform().start(() -> {
        try {
          Link l = listener.accept();
          echo[0] = startEcho(serverTls == null ? l : Transports.secureAccepted(l, serverTls,
              (peer, why) -> System.err.println("handshake failed: " + why)));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      Link client = clientTls == null
          ? Transports.connect(listener.endpoint(), Duration.ofSeconds(10))
          : Transports.connect(listener.endpoint(), Duration.ofSeconds(10), clientTls);
      try {
        acceptor.join();
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
      return new Pair(listener, client, echo[0]);
    }

    private static Thread startEcho(Link server) {
      return Thread.ofPlatform().daemon().name("echo").start(() -> {
        ByteBuffer buf = ByteBuffer.allocate(MESSAGE);
        try {
          while (true) {
            buf.clear();
            if (!fill(server, buf)) {
              return;
            }
            buf.flip();
            server.write(buf);
          }
        } catch (IOException e) {
          // closed: done
        } finally {
          server.close();
        }
      });
    }

    /**
     * Reads until {@code buf} is full, polling for {@link #SPIN_NANOS}, then waiting in the link's
     * selector (so the pair not being timed sleeps instead of taking a core from the one that
     * is); false at the end of the stream.
     */
    private static boolean fill(Link link, ByteBuffer buf) throws IOException {
      long spinStart = System.nanoTime();
      while (buf.hasRemaining()) {
        int n = link.tryRead(buf);
        if (n < 0) {
          return false;
        }
        if (n > 0) {
          spinStart = System.nanoTime();
        } else if (System.nanoTime() - spinStart < SPIN_NANOS) {
          Thread.onSpinWait();
        } else {
          link.awaitReadable(1_000_000_000L);
        }
      }
      return true;
    }

    /** {@code n} round trips; returns each one's nanoseconds. */
    long[] run(int n) throws IOException {
      return time(n, MESSAGE, new PingEnd() {
        @Override
        public void write(ByteBuffer b) throws IOException {
          client.write(b);
        }

        @Override
        public boolean fill(ByteBuffer b) throws IOException {
          return Pair.fill(client, b);
        }
      });
    }

    @Override
    public void close() throws IOException {
      closeAndJoin(client, listener, echo);
    }
  }

  /** The timing end of a ping-pong. */
  interface PingEnd {
    /** Writes all of {@code b}. */
    void write(ByteBuffer b) throws IOException;

    /** Fills {@code b} with what the echo sent; false at the end of the stream. */
    boolean fill(ByteBuffer b) throws IOException;
  }

  /**
   * {@code n} round trips of {@code message} bytes from {@code end}; returns each one's
   * nanoseconds; fails if an echo is not the message sent.
   */
  static long[] time(int n, int message, PingEnd end) throws IOException {
    ByteBuffer out = ByteBuffer.allocate(message);
    ByteBuffer in = ByteBuffer.allocate(message);
    long[] t = new long[n];
    for (int i = 0; i < n; i++) {
      long start = System.nanoTime();
      out.clear();
      out.putLong(0, i);
      end.write(out);
      in.clear();
      if (!end.fill(in)) {
        throw new IOException("echo ended");
      }
      t[i] = System.nanoTime() - start;
      if (in.getLong(0) != i) {
        throw new IOException("echo " + in.getLong(0) + " for " + i);
      }
    }
    return t;
  }

  /** Closes a ping-pong's client end and listener, then waits (bounded) for its echo to end. */
  static void closeAndJoin(Closeable client, Closeable listener, Thread echo)
      throws IOException {
    try (listener) {
      client.close();
    }
    try {
      echo.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
