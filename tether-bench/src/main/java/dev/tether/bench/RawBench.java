package dev.tether.bench;

import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.codec.MethodCodec;
import dev.tether.internal.wire.Frames;
import java.io.EOFException;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The physical limit: a blocking {@link SocketChannel} ping-pong over a Unix-domain socket or
 * loopback TCP, each message exactly as long as Tether's CALL frame for the same call, echoed back
 * by a server thread. No encoding, no dispatch, no threads handing off.
 */
public final class RawBench extends SystemBench {
  private static final String NA_CANCEL = "raw socket: no calls, nothing to cancel (reference only)";

  private final boolean uds;
  private ServerProcess server;
  private SocketChannel channel;
  private double rttP50Micros = Double.NaN;
  private long rttSamples;

  /** Raw ping-pong over a Unix-domain socket ({@code uds}) or loopback TCP. */
  public RawBench(boolean uds, BenchPlan plan) {
    super(uds ? "raw-uds" : "raw-tcp", plan);
    this.uds = uds;
  }

  @Override
  protected void start() throws Exception {
    server = startServer(name);
    String a = server.address();
    if (uds) {
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      channel.connect(UnixDomainSocketAddress.of(a.substring("unix:".length())));
    } else {
      channel = SocketChannel.open();
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      channel.connect(new InetSocketAddress("127.0.0.1", server.port()));
    }
  }

  @Override
  protected List<Metric> metrics() {
    List<Metric> all = new ArrayList<>(List.of(Metric.values()));
    all.remove(Metric.ONE_WAY);
    all.add(Metric.RTT_RECORD.ordinal() + 1, Metric.ONE_WAY);
    return all;
  }

  @Override
  protected List<Row> measure(Metric m) throws Exception {
    return switch (m) {
      case RTT -> {
        int size = callFrameBytes("echo", 7);
        Histogram h = Measure.latency(plan, pingPong(size));
        rttP50Micros = h.percentile(50) / 1e3;
        rttSamples = h.count();
        yield one(latencyRow(m, h, size + "-byte messages (Tether's CALL frame for echo(int))"));
      }
      case RTT_RECORD -> {
        int size = callFrameBytes("echoPayload", Payload.sample());
        yield one(latencyRow(m, Measure.latency(plan, pingPong(size)),
            size + "-byte messages (Tether's CALL frame for echoPayload)"));
      }
      case ONE_WAY -> {
        if (Double.isNaN(rttP50Micros)) {
          throw new IllegalStateException("rtt was not measured");
        }
        yield one(Row.value(name, m, rttP50Micros / 2, rttSamples, "half the rtt p50"));
      }
      case THROUGHPUT_16 -> one(Row.notApplicable(name, m,
          "one blocking channel without multiplexing carries one exchange at a time"));
      case CANCEL_10K_RELEASE, CANCEL_10K_OBSERVE, CANCEL_RELEASE, CANCEL_OBSERVE,
          CANCEL_OVERHEAD -> one(Row.notApplicable(name, m, NA_CANCEL));
      case MEM_PER_PENDING -> one(Row.notApplicable(name, m,
          "no multiplexing: one pending exchange per channel"));
    };
  }

  private Measure.Call pingPong(int size) {
    ByteBuffer out = ByteBuffer.allocateDirect(size);
    out.putInt(size - 4);
    while (out.hasRemaining()) {
      out.put((byte) 0x5a);
    }
    ByteBuffer in = ByteBuffer.allocateDirect(size);
    return () -> {
      out.clear();
      while (out.hasRemaining()) {
        channel.write(out);
      }
      in.clear();
      while (in.hasRemaining()) {
        if (channel.read(in) < 0) {
          throw new EOFException("raw server closed the connection");
        }
      }
    };
  }

  /** Length of Tether's CALL frame for {@code BenchService.method(args)}. */
  static int callFrameBytes(String method, Object... args) throws NoSuchMethodException {
    Method m = null;
    for (Method candidate : BenchService.class.getMethods()) {
      if (candidate.getName().equals(method)) {
        m = candidate;
      }
    }
    if (m == null) {
      throw new NoSuchMethodException(method);
    }
    ByteWriter w = new ByteWriter(2048);
    Frames.beginCall(w, 1, 0, 1, -1);
    MethodCodec.of(m).encodeArgs(w, args);
    Frames.end(w, Integer.MAX_VALUE);
    return w.size();
  }

  @Override
  public void close() throws IOException {
    try {
      if (channel != null) {
        channel.close();
      }
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  /** The echo server: one platform thread per connection, blocking reads and writes. */
  public static final class Server implements AutoCloseable {
    private final ServerSocketChannel listener;
    private final String address;
    private final Path dir;

    private Server(ServerSocketChannel listener, String address, Path dir) {
      this.listener = listener;
      this.address = address;
      this.dir = dir;
    }

    /** Listens on a Unix-domain socket in a fresh directory, or on 127.0.0.1 with a free port. */
    public static Server start(boolean uds) throws IOException {
      ServerSocketChannel l;
      String address;
      Path dir = null;
      if (uds) {
        dir = Files.createTempDirectory("tether-bench-raw");
        Path sock = dir.resolve("raw.sock");
        l = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        l.bind(UnixDomainSocketAddress.of(sock));
        address = "unix:" + sock;
      } else {
        l = ServerSocketChannel.open();
        l.bind(new InetSocketAddress("127.0.0.1", 0));
        address = "tcp:127.0.0.1:" + ((InetSocketAddress) l.getLocalAddress()).getPort();
      }
      Server s = new Server(l, address, dir);
      Thread.ofPlatform().daemon().name("raw-accept").start(s::acceptLoop);
      return s;
    }

    /** Where it listens. */
    public String address() {
      return address;
    }

    private void acceptLoop() {
      try {
        while (true) {
          SocketChannel ch = listener.accept();
          if (dir == null) {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
          }
          Thread.ofPlatform().daemon().name("raw-echo").start(() -> echo(ch));
        }
      } catch (IOException e) {
        // closed
      }
    }

    private static void echo(SocketChannel ch) {
      ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16);
      try (ch) {
        while (true) {
          buf.clear().limit(4);
          if (!readFully(ch, buf)) {
            return;
          }
          int length = buf.getInt(0);
          if (length < 0 || length > buf.capacity() - 4) {
            return;
          }
          buf.limit(4 + length);
          if (!readFully(ch, buf)) {
            return;
          }
          buf.flip();
          while (buf.hasRemaining()) {
            ch.write(buf);
          }
        }
      } catch (IOException e) {
        // client went away
      }
    }

    private static boolean readFully(SocketChannel ch, ByteBuffer buf) throws IOException {
      while (buf.hasRemaining()) {
        if (ch.read(buf) < 0) {
          return false;
        }
      }
      return true;
    }

    @Override
    public void close() throws IOException {
      listener.close();
      if (dir != null) {
        Files.deleteIfExists(dir.resolve("raw.sock"));
        Files.deleteIfExists(dir);
      }
    }
  }
}
