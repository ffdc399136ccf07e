package dev.tether.limits;

import dev.tether.fixtures.PlainTcp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.Tether;
import dev.tether.fixtures.EchoService;
import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.wire.FrameKind;
import dev.tether.internal.wire.Frames;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idle connections hold no platform thread: a server JVM (-Xmx256m) with N idle connections
 * (handshake done, then silence) keeps a bounded number of threads, and each idle connection still
 * answers when it speaks again. Prints threads, resident memory and descriptors per connection;
 * asserts only the thread bound. N is 1,000 by default; {@code -Dtether.idleConnections=10000}
 * for the figure in BENCHMARKS.md.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class IdleConnectionsFootprintTest {
  private static final int BATCH = 1000;
  private static final int THREAD_BOUND = 64;

  @TempDir
  Path dir;

  @Test
  void idleConnectionsHoldNoThreadAndStillAnswer() throws Exception {
    int n = Integer.getInteger("tether.idleConnections", 1000);
    try (ServerProcess server = ServerProcess.start(dir, 0, "maxConnections=" + (n + 10))) {
      InetSocketAddress where = addressAfterOneCall(server);
      server.collectGarbage();
      int threads0 = Integer.parseInt(server.procStatus("Threads"));
      long rss0 = kib(server.procStatus("VmRSS"));
      int fds0 = server.openDescriptors();
      List<SocketChannel> idle = new ArrayList<>();
      try {
        while (idle.size() < n) {
          List<SocketChannel> batch = new ArrayList<>();
          for (int i = 0; i < BATCH && idle.size() + batch.size() < n; i++) {
            SocketChannel ch = SocketChannel.open(where);
            batch.add(ch);
            ch.write(frame(w -> Frames.hello(w, FrameKind.VERSION, 1 << 20, "idle")));
          }
          for (SocketChannel ch : batch) {
            assertThat(readFrameKind(ch)).isEqualTo(FrameKind.HELLO);
          }
          idle.addAll(batch);
          awaitThreadsBelow(server, threads0 + THREAD_BOUND); // parked before the next batch
        }
        long rssBeforeGc = kib(server.procStatus("VmRSS"));
        server.collectGarbage();
        int threads = Integer.parseInt(server.procStatus("Threads"));
        long rss = kib(server.procStatus("VmRSS"));
        int fds = server.openDescriptors();
        System.out.printf("idle connections: %d; server threads %d -> %d; RSS %d -> %d MiB "
            + "after a full GC (%.1f KiB per connection; %d MiB before that GC); "
            + "descriptors %d -> %d (%.2f per connection)%n", n, threads0, threads, rss0 / 1024,
            rss / 1024, (rss - rss0) / (double) n, rssBeforeGc / 1024, fds0, fds,
            (fds - fds0) / (double) n);
        assertThat(threads - threads0).as("threads for %d idle connections", n)
            .isLessThan(THREAD_BOUND);

        for (SocketChannel ch : List.of(idle.get(0), idle.get(n / 2), idle.get(n - 1))) {
          ch.write(frame(w -> Frames.ping(w, false, 42)));
          assertThat(readFrameKind(ch)).as("a parked connection answers").isEqualTo(FrameKind.PONG);
        }
        try (Tether fresh = Tether.connect(server.address, PlainTcp.OPTIONS)) {
          assertThat(fresh.get(EchoService.class, "echo").echo(7)).isEqualTo(7);
        }
      } finally {
        for (SocketChannel ch : idle) {
          ch.close();
        }
      }
    }
  }

  @Test
  void connectionsThatNeverSpeakHoldNoThreadAndAreClosedAtTheHandshakeTimeout() throws Exception {
    int n = 500;
    // The silent connections' handshake timeouts count as failed connections; pacing the accepts
    // they cause (FailedConnectionPacingTest) must not delay this test's last connections until
    // the one that speaks up late has timed out too, on a loaded machine.
    try (ServerProcess server = ServerProcess.start(dir, 0, "maxConnections=" + (n + 10),
        "handshakeTimeoutMillis=8000", "failedConnectionRate=100000")) {
      InetSocketAddress where = addressAfterOneCall(server);
      int threads0 = Integer.parseInt(server.procStatus("Threads"));
      List<SocketChannel> silent = new ArrayList<>();
      try {
        for (int i = 0; i < n; i++) {
          silent.add(SocketChannel.open(where));
        }
        // One more that says HELLO: once it is answered, the accept loop has handed every
        // earlier connection on (one accept thread, in order).
        try (SocketChannel last = SocketChannel.open(where)) {
          last.write(frame(w -> Frames.hello(w, FrameKind.VERSION, 1 << 20, "last")));
          assertThat(readFrameKind(last)).isEqualTo(FrameKind.HELLO);
        }
        int threads = Integer.parseInt(server.procStatus("Threads"));
        System.out.printf("connections that never speak: %d; server threads %d -> %d%n", n,
            threads0, threads);
        assertThat(threads - threads0).as("threads for %d silent connections", n)
            .isLessThan(THREAD_BOUND);
        SocketChannel late = silent.get(n / 2); // one of them speaks up after all
        late.write(frame(w -> Frames.hello(w, FrameKind.VERSION, 1 << 20, "late")));
        assertThat(readFrameKind(late)).isEqualTo(FrameKind.HELLO);
        for (SocketChannel ch : List.of(silent.get(0), silent.get(n - 1))) {
          ch.configureBlocking(true);
          ch.socket().setSoTimeout(30_000);
          assertThat(java.nio.channels.Channels.newInputStream(ch).read())
              .as("the server closes a silent connection at the handshake timeout").isEqualTo(-1);
        }
      } finally {
        for (SocketChannel ch : silent) {
          ch.close();
        }
      }
    }
  }

  @Test
  void connectionsThatStopInTheMiddleOfTheirHelloHoldNoThread() throws Exception {
    int n = 200;
    try (ServerProcess server = ServerProcess.start(dir, 0, "maxConnections=" + (n + 10),
        "handshakeTimeoutMillis=120000", "failedConnectionRate=100000")) {
      InetSocketAddress where = addressAfterOneCall(server);
      int threads0 = Integer.parseInt(server.procStatus("Threads"));
      ByteBuffer hello = frame(w -> Frames.hello(w, FrameKind.VERSION, 1 << 20, "halfway"));
      int half = hello.remaining() / 2;
      List<SocketChannel> stalled = new ArrayList<>();
      try {
        for (int i = 0; i < n; i++) {
          SocketChannel ch = SocketChannel.open(where);
          stalled.add(ch);
          ch.write(hello.duplicate().limit(half)); // the first half of a HELLO, then nothing
        }
        try (SocketChannel last = SocketChannel.open(where)) { // every earlier one is accepted
          last.write(hello.duplicate());
          assertThat(readFrameKind(last)).isEqualTo(FrameKind.HELLO);
        }
        // the handshake timeout (120 s) is far away: only parking frees these readers
        awaitThreadsBelow(server, threads0 + THREAD_BOUND);
        int threads = Integer.parseInt(server.procStatus("Threads"));
        System.out.printf("connections stalled mid-HELLO: %d; server threads %d -> %d%n", n,
            threads0, threads);
        assertThat(threads - threads0).as("threads for %d connections stalled mid-HELLO", n)
            .isLessThan(THREAD_BOUND);
        SocketChannel resumed = stalled.get(n / 2); // one finishes its HELLO after all
        resumed.write(hello.duplicate().position(half));
        assertThat(readFrameKind(resumed)).as("the half kept while parked, then the rest")
            .isEqualTo(FrameKind.HELLO);
      } finally {
        for (SocketChannel ch : stalled) {
          ch.close();
        }
      }
    }
  }

  /** The server's TCP address, once one call to it has been answered (its code warmed up). */
  private static InetSocketAddress addressAfterOneCall(ServerProcess server) {
    try (Tether warmUp = Tether.connect(server.address, PlainTcp.OPTIONS)) {
      warmUp.get(EchoService.class, "echo").echo(1);
    }
    Endpoint e = Endpoint.parse(server.address);
    return new InetSocketAddress(e.host(), e.port());
  }

  private static void awaitThreadsBelow(ServerProcess server, int bound) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (Integer.parseInt(server.procStatus("Threads")) >= bound
        && System.nanoTime() < until) {
      Thread.sleep(50); // another process: poll /proc, bounded
    }
  }

  private static long kib(String status) {
    return Long.parseLong(status.replace("kB", "").trim());
  }

  private static ByteBuffer frame(java.util.function.Consumer<ByteWriter> build) {
    ByteWriter w = new ByteWriter(64);
    build.accept(w);
    return ByteBuffer.wrap(w.array(), 0, w.size());
  }

  /** Reads one whole frame (blocking) and returns its kind. */
  private static int readFrameKind(SocketChannel ch) throws IOException {
    ByteBuffer length = ByteBuffer.allocate(4);
    readFully(ch, length);
    ByteBuffer body = ByteBuffer.allocate(length.getInt(0));
    readFully(ch, body);
    return body.get(0) & 0xff;
  }

  private static void readFully(SocketChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      if (ch.read(b) < 0) {
        throw new EOFException("server closed the connection");
      }
    }
  }
}
