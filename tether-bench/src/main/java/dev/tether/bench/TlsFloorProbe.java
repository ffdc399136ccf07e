package dev.tether.bench;

import dev.tether.TlsSettings;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.transport.Link;
import dev.tether.internal.transport.Listener;
import dev.tether.internal.transport.TlsConfig;
import dev.tether.internal.transport.Transports;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * The floor under issue 11's target (TLS round trip p50 at most 1.3x plain TCP's): a 64-byte
 * ping-pong over Tether's own links with no frames, calls or threads of Tether's in it, each end
 * polling (the spin-polled floor: no wake-ups in the way), plain TCP against
 * TLS 1.3 (the {@code tether-tls} rows' certificate and trust), in one JVM, the two alternating
 * in blocks so the machine's state changes hit both alike. Its TLS / plain ratio is what the
 * JDK's TLS costs a round trip at the least; Tether's own ratio cannot be expected below it by
 * more than its extra work on the plain path dilutes it.
 *
 * <p>Run: {@code java -cp tether-bench/target/tether-bench-all.jar dev.tether.bench.TlsFloorProbe
 * [blocks]} (default 40 blocks of 5,000 round trips each, after 100,000 of warm-up). Prints the
 * p50 of each kind over all blocks, the median of the per-block ratios, and their spread.
 */
public final class TlsFloorProbe {
  private static final int MESSAGE = 64;
  private static final int BLOCK = 5_000;
  /**
   * How long an end polls before it waits: 1 ms, so the pair being timed never sleeps (a 50 us
   * window, Tether's default, lets a pair fall into a regime where each end's wake-up outlasts
   * the other's window and both sleep every time), while the pair not being timed does.
   */
  private static final long SPIN_NANOS = 1_000_000;

  private TlsFloorProbe() {}

  /** {@code [blocks]}. */
  public static void main(String[] args) throws Exception {
    int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    Path store = BenchTls.makeKeyStore();
    TlsConfig serverTls = config(BenchTls.server(store), false);
    TlsConfig clientTls = config(BenchTls.client(store), true);
    try (Pair plain = Pair.open(null, null); Pair tls = Pair.open(serverTls, clientTls)) {
      plain.run(100_000);
      tls.run(100_000);
      long[] plainAll = new long[blocks * BLOCK];
      long[] tlsAll = new long[blocks * BLOCK];
      double[] ratios = new double[blocks];
      for (int b = 0; b < blocks; b++) {
        long[] p;
        long[] t;
        if (b % 2 == 0) { // alternate which goes first
          p = plain.run(BLOCK);
          t = tls.run(BLOCK);
        } else {
          t = tls.run(BLOCK);
          p = plain.run(BLOCK);
        }
        System.arraycopy(p, 0, plainAll, b * BLOCK, BLOCK);
        System.arraycopy(t, 0, tlsAll, b * BLOCK, BLOCK);
        ratios[b] = (double) median(t) / median(p);
      }
      Arrays.sort(ratios);
      System.out.printf(Locale.ROOT, "raw link ping-pong, spin-polled, %d-byte messages, %d blocks"
          + " of %d alternating%n", MESSAGE, blocks, BLOCK);
      System.out.printf(Locale.ROOT, "plain TCP p50 %.2f us, p99 %.2f us%n",
          percentile(plainAll, 50) / 1e3, percentile(plainAll, 99) / 1e3);
      System.out.printf(Locale.ROOT, "TLS 1.3   p50 %.2f us, p99 %.2f us%n",
          percentile(tlsAll, 50) / 1e3, percentile(tlsAll, 99) / 1e3);
      System.out.printf(Locale.ROOT, "RATIO_TLS_FLOOR p50 %.2f (median of per-block ratios %.2f,"
          + " quartiles %.2f-%.2f); TLS adds %.2f us a round trip%n",
          (double) percentile(tlsAll, 50) / percentile(plainAll, 50), ratios[blocks / 2],
          ratios[blocks / 4], ratios[3 * blocks / 4],
          (percentile(tlsAll, 50) - percentile(plainAll, 50)) / 1e3);
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
    private final ByteBuffer out = ByteBuffer.allocate(MESSAGE);
    private final ByteBuffer in = ByteBuffer.allocate(MESSAGE);

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
      long[] t = new long[n];
      for (int i = 0; i < n; i++) {
        long start = System.nanoTime();
        out.clear();
        out.putLong(0, i);
        client.write(out);
        in.clear();
        if (!fill(client, in)) {
          throw new IOException("echo ended");
        }
        t[i] = System.nanoTime() - start;
      }
      return t;
    }

    @Override
    public void close() throws IOException {
      client.close();
      listener.close();
      try {
        echo.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
