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
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The physical limit: a {@link SocketChannel} ping-pong over a Unix-domain socket or loopback
 * TCP, each message exactly as long as Tether's CALL frame for the same call, echoed back by a
 * server thread. No encoding, no dispatch, no threads handing off. Two floors: blocking sockets
 * ({@code raw-uds}, {@code raw-tcp}: both threads sleep in the kernel between messages, like a
 * Tether thread after its polling window) and non-blocking sockets polled in a spin loop on both
 * ends ({@code raw-uds-spin}, {@code raw-tcp-spin}: no thread ever sleeps, like a Tether thread
 * inside its polling window). The blocking systems also measure the cold one-way time
 * ({@link Metric#ONE_WAY_COLD}), the floor of a cold cancel.
 *
 * <p>A third floor, for the round trip only ({@code raw-uds-epoll}, {@code raw-tcp-epoll}; not in
 * {@code ./tether bench}'s default systems, but in {@link BenchMain#create} and so in
 * {@link ThroughputAbBench}): both ends wait the way Tether waits with spinning off, each with a
 * non-blocking channel and a {@link Selector} of its own, {@code select()} with no timeout, then
 * one read. It tells how much of Tether's spin-off round trip is that way of waiting
 * ({@code epoll_wait} through the JDK's selector, then a read) rather than Tether's own work.
 * {@code raw-uds-epoll-server}/{@code raw-tcp-epoll-server} wait that way on the server's end
 * only, the client blocking in its read.
 *
 * <p>The client's first byte on a connection picks the server's mode: {@code 'B'} blocking echo,
 * {@code 'S'} spin-polled echo, {@code 'E'} selector-waiting echo, {@code 'T'} blocking,
 * answering each message with the server's {@code System.nanoTime()} when it had read it.
 */
public final class RawBench extends SystemBench {
  private static final String NA_CANCEL = "raw socket: no calls, nothing to cancel (reference only)";

  /** The server's mode byte for a blocking echo (also {@link RawStreamServer}'s pings). */
  static final byte BLOCKING = 'B';
  private static final byte SPIN = 'S';
  private static final byte EPOLL = 'E';
  private static final byte STAMP = 'T';

  /** How the two ends of the ping-pong wait for the next message. */
  enum Waiting {
    /** Blocking sockets: both ends sleep in {@code read}. */
    BLOCKING("", RawBench.BLOCKING, false),
    /** Non-blocking sockets polled in a spin loop on both ends. */
    SPIN("-spin", RawBench.SPIN, false),
    /** Non-blocking sockets, one selector per end: {@code select()}, then one read. */
    EPOLL("-epoll", RawBench.EPOLL, true),
    /** The server's end as {@link #EPOLL}, the client's blocking. */
    EPOLL_SERVER("-epoll-server", RawBench.EPOLL, false);

    final String suffix;
    final byte serverMode;
    final boolean clientSelects;

    Waiting(String suffix, byte serverMode, boolean clientSelects) {
      this.suffix = suffix;
      this.serverMode = serverMode;
      this.clientSelects = clientSelects;
    }
  }

  private final boolean uds;
  private final Waiting waiting;
  private final boolean spin;
  private ServerProcess server;
  private SocketChannel channel;
  private Selector selector; // EPOLL's client end only
  private double rttP50Micros = Double.NaN;
  private long rttSamples;

  /** Raw ping-pong over a Unix-domain socket ({@code uds}) or loopback TCP. */
  public RawBench(boolean uds, BenchPlan plan) {
    this(uds, false, plan);
  }

  /** Like {@link #RawBench(boolean, BenchPlan)}; spin-polled non-blocking sockets when {@code spin}. */
  public RawBench(boolean uds, boolean spin, BenchPlan plan) {
    this(uds, spin ? Waiting.SPIN : Waiting.BLOCKING, plan);
  }

  /** Raw ping-pong whose ends wait as {@code waiting} says. */
  RawBench(boolean uds, Waiting waiting, BenchPlan plan) {
    super((uds ? "raw-uds" : "raw-tcp") + waiting.suffix, plan);
    this.uds = uds;
    this.waiting = waiting;
    this.spin = waiting == Waiting.SPIN;
  }

  @Override
  protected void start() throws Exception {
    server = startServer(uds ? "raw-uds" : "raw-tcp");
    channel = open(waiting.serverMode);
    if (spin || waiting.clientSelects) {
      channel.configureBlocking(false);
    }
    if (waiting.clientSelects) {
      selector = Selector.open();
      channel.register(selector, SelectionKey.OP_READ);
    }
  }

  private SocketChannel open(byte mode) throws IOException {
    SocketChannel ch;
    if (uds) {
      ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      ch.connect(UnixDomainSocketAddress.of(server.address().substring("unix:".length())));
    } else {
      ch = SocketChannel.open();
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      ch.connect(new InetSocketAddress("127.0.0.1", server.port()));
    }
    ch.write(ByteBuffer.wrap(new byte[] {mode}));
    return ch;
  }

  @Override
  protected List<Metric> metrics() {
    List<Metric> all = new ArrayList<>(List.of(Metric.values()));
    all.remove(Metric.ONE_WAY);
    all.remove(Metric.ONE_WAY_COLD);
    all.add(Metric.RTT_RECORD.ordinal() + 1, Metric.ONE_WAY);
    all.add(Metric.RTT_RECORD.ordinal() + 2, Metric.ONE_WAY_COLD);
    return all;
  }

  @Override
  protected List<Row> measure(Metric m) throws Exception {
    if (waiting.serverMode == EPOLL && m != Metric.RTT) {
      return one(Row.notApplicable(name, m, "the selector-waiting floor: the round trip only"));
    }
    return switch (m) {
      case RTT -> {
        int size = callFrameBytes("echo", 7);
        Histogram h = Measure.latency(plan, pingPong(size));
        rttP50Micros = h.percentile(50) / 1e3;
        rttSamples = h.count();
        yield one(latencyRow(m, h, size + "-byte messages (Tether's CALL frame for echo(int))"
            + (spin ? "; non-blocking sockets polled in a spin loop on both ends" : "")
            + (waiting == Waiting.EPOLL ? "; each end waits in a selector, then reads" : "")
            + (waiting == Waiting.EPOLL_SERVER ? "; the server waits in a selector, then reads"
                : "")));
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
      case ONE_WAY_COLD -> one(spin
          ? Row.notApplicable(name, m, "a spin-polled socket is never cold")
          : latencyRow(m, coldOneWay(), "one " + callFrameBytes("echo", 7) + "-byte message "
              + "after " + Metric.COLD_PENDING_MILLIS + " ms of silence: from before the write "
              + "to the server's System.nanoTime() after its blocking read"));
      case THROUGHPUT_16 -> one(Row.notApplicable(name, m,
          "one blocking channel without multiplexing carries one exchange at a time"));
      case CANCEL_10K_RELEASE, CANCEL_10K_OBSERVE, CANCEL_RELEASE, CANCEL_OBSERVE,
          CANCEL_RELEASE_COLD, CANCEL_OBSERVE_COLD, CANCEL_OVERHEAD ->
          one(Row.notApplicable(name, m, NA_CANCEL));
      case MEM_PER_PENDING -> one(Row.notApplicable(name, m,
          "no multiplexing: one pending exchange per channel"));
    };
  }

  /** The rtt row's ping-pong, for one caller only: the channel carries one exchange at a time. */
  @Override
  protected Measure.Call echoCall(int callers) throws Exception {
    return callers == 1 ? pingPong(callFrameBytes("echo", 7)) : null;
  }

  private Measure.Call pingPong(int size) {
    ByteBuffer out = message(size);
    ByteBuffer in = ByteBuffer.allocateDirect(size);
    if (selector != null) {
      return () -> {
        writeAll(out);
        in.clear();
        while (in.hasRemaining()) { // as Tether's reader with spinning off: wait, then read once
          selector.select();
          selector.selectedKeys().clear();
          if (channel.read(in) < 0) {
            throw new EOFException("raw server closed the connection");
          }
        }
      };
    }
    return () -> {
      writeAll(out);
      in.clear();
      while (in.hasRemaining()) {
        int n = channel.read(in);
        if (n < 0) {
          throw new EOFException("raw server closed the connection");
        }
        if (n == 0) {
          Thread.onSpinWait(); // non-blocking only: nothing yet, poll again
        }
      }
    };
  }

  /** One ping of {@code size} bytes: its length after the 4-byte prefix, then filler. */
  static ByteBuffer message(int size) {
    ByteBuffer out = ByteBuffer.allocateDirect(size);
    out.putInt(size - 4);
    while (out.hasRemaining()) {
      out.put((byte) 0x5a);
    }
    return out;
  }

  private void writeAll(ByteBuffer out) throws IOException {
    writeFully(channel, out.clear());
  }

  /**
   * Writes all of {@code buf}, polling while a non-blocking channel's socket buffer is full (never
   * with one small message in flight).
   */
  static void writeFully(SocketChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      if (ch.write(buf) == 0) {
        Thread.onSpinWait();
      }
    }
  }

  /**
   * Cold one-way samples over a second (blocking) connection: each message waits
   * {@link Metric#COLD_PENDING_MILLIS} of silence, then the time from before the write to the
   * server's clock reading when its read returned (one machine-wide CLOCK_MONOTONIC).
   */
  private Histogram coldOneWay() throws Exception {
    int size = callFrameBytes("echo", 7);
    ByteBuffer out = ByteBuffer.allocateDirect(size);
    out.putInt(size - 4);
    while (out.hasRemaining()) {
      out.put((byte) 0x5a);
    }
    ByteBuffer in = ByteBuffer.allocateDirect(8);
    Histogram h = new Histogram();
    int warmup = plan.coldWarmup();
    try (SocketChannel ch = open(STAMP)) {
      for (int i = 0; i < warmup + plan.coldSamples(); i++) {
        Thread.sleep(Metric.COLD_PENDING_MILLIS);
        out.clear();
        long t0 = System.nanoTime();
        while (out.hasRemaining()) {
          ch.write(out);
        }
        in.clear();
        while (in.hasRemaining()) {
          if (ch.read(in) < 0) {
            throw new EOFException("raw server closed the connection");
          }
        }
        if (i >= warmup) {
          h.add(in.getLong(0) - t0);
        }
      }
    }
    return h;
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
      if (selector != null) {
        selector.close();
      }
      if (channel != null) {
        channel.close();
      }
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  /**
   * The echo server: one platform thread per connection, blocking reads and writes, spin-polled
   * non-blocking ones, or non-blocking ones that wait in a selector (the connection's first byte
   * decides).
   */
  public static final class Server implements AutoCloseable {
    private final RawListener listener;

    private Server(RawListener listener) {
      this.listener = listener;
    }

    /** Listens on a Unix-domain socket in a fresh directory, or on 127.0.0.1 with a free port. */
    public static Server start(boolean uds) throws IOException {
      Server s = new Server(RawListener.open(uds, "tether-bench-raw"));
      Thread.ofPlatform().daemon().name("raw-accept").start(s::acceptLoop);
      return s;
    }

    /** Where it listens. */
    public String address() {
      return listener.address();
    }

    private void acceptLoop() {
      try {
        while (true) {
          SocketChannel ch = listener.channel().accept();
          if (!listener.uds()) {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
          }
          Thread.ofPlatform().daemon().name("raw-echo").start(() -> serve(ch));
        }
      } catch (IOException e) {
        // closed
      }
    }

    private static void serve(SocketChannel ch) {
      ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16);
      try (ch) {
        buf.limit(1);
        if (!readFully(ch, buf)) {
          return;
        }
        byte mode = buf.get(0);
        if (mode == EPOLL) {
          serveSelecting(ch, buf);
          return;
        }
        if (mode == SPIN) {
          ch.configureBlocking(false); // readFully and the writes then poll
        }
        echo(ch, buf, mode);
      } catch (IOException e) {
        // client went away
      }
    }

    /**
     * Echoes length-prefixed messages on {@code ch} until the client closes (mode {@code T}:
     * answers each with the time it was read instead), with {@code buf} as its buffer.
     */
    static void echo(SocketChannel ch, ByteBuffer buf, byte mode) throws IOException {
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
        if (mode == STAMP) {
          buf.clear().putLong(0, System.nanoTime()).limit(8);
        } else {
          buf.flip();
        }
        writeFully(ch, buf);
      }
    }

    /**
     * The {@code 'E'} echo: waits as Tether's server reader does with spinning off, in a selector
     * of its own with no timeout, then reads once as much as has arrived, and echoes each whole
     * message.
     */
    private static void serveSelecting(SocketChannel ch, ByteBuffer buf) throws IOException {
      ch.configureBlocking(false);
      try (Selector selector = Selector.open()) {
        ch.register(selector, SelectionKey.OP_READ);
        buf.clear(); // writing mode: position = bytes held
        while (true) {
          int length = buf.position() >= 4 ? buf.getInt(0) : 0;
          if (length < 0 || length > buf.capacity() - 4) {
            return;
          }
          if (buf.position() < 4 + length) { // length is 0 until the prefix is in
            selector.select();
            selector.selectedKeys().clear();
            if (ch.read(buf) < 0) {
              return;
            }
            continue;
          }
          writeFully(ch, buf.duplicate().position(0).limit(4 + length));
          buf.flip().position(4 + length);
          buf.compact();
        }
      }
    }

    private static boolean readFully(SocketChannel ch, ByteBuffer buf) throws IOException {
      while (buf.hasRemaining()) {
        int n = ch.read(buf);
        if (n < 0) {
          return false;
        }
        if (n == 0) {
          Thread.onSpinWait(); // a non-blocking (spin-polled) channel: poll again
        }
      }
      return true;
    }

    @Override
    public void close() throws IOException {
      listener.close();
    }
  }
}
