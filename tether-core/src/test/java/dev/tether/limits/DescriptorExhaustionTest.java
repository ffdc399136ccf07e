package dev.tether.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.Tether;
import dev.tether.TetherOptions;
import dev.tether.fixtures.EchoService;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.wire.FrameKind;
import dev.tether.internal.wire.Frames;
import dev.tether.internal.codec.ByteWriter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that runs out of descriptors (EMFILE) keeps its accept loop: once descriptors are free
 * again, new clients are served. A real server JVM with {@code ulimit -n 128}.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DescriptorExhaustionTest {
  @TempDir
  Path dir;

  @Test
  void theAcceptLoopSurvivesRunningOutOfDescriptors() throws Exception {
    try (ServerProcess server = ServerProcess.start(dir, 128)) {
      Endpoint e = Endpoint.parse(server.address);
      InetSocketAddress where = new InetSocketAddress(e.host(), e.port());
      ByteWriter hello = new ByteWriter(64);
      Frames.hello(hello, FrameKind.VERSION, 1 << 20, "descriptor hog");
      List<SocketChannel> hogs = new ArrayList<>();
      try {
        for (int i = 0; i < 80; i++) {
          SocketChannel ch = SocketChannel.open();
          hogs.add(ch);
          ch.configureBlocking(false);
          ch.connect(where); // completes in the kernel's backlog even if never accepted
        }
        for (SocketChannel ch : hogs) {
          while (!ch.finishConnect()) {
            Thread.onSpinWait();
          }
          ch.write(ByteBuffer.wrap(hello.array(), 0, hello.size()));
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int most = server.openDescriptors(); // the count moves: a failed accept frees its socket
        while (most < 125 && System.nanoTime() < until) {
          Thread.sleep(20); // the server is another process: poll its descriptors, bounded
          most = Math.max(most, server.openDescriptors());
        }
        assertThat(most).as("the server ran out of descriptors (the premise)")
            .isGreaterThanOrEqualTo(125);
      } finally {
        for (SocketChannel ch : hogs) {
          ch.close();
        }
      }

      TetherOptions options = TetherOptions.defaults().withInsecurePlaintextTcp()
          .withConnectTimeout(Duration.ofSeconds(20));
      // The hogs are closed, but the server frees their descriptors only as it reads their ends:
      // until then it may still have to drop (reset) a new connection. It must serve one soon.
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      Tether client = null;
      while (client == null) {
        try {
          client = Tether.connect(server.address, options);
        } catch (dev.tether.ConnectionClosedException reset) {
          assertThat(System.nanoTime()).as("served again within 30 s: " + reset).isLessThan(until);
          Thread.sleep(50); // the server is another process: retry, bounded
        }
      }
      try (Tether c = client) {
        assertThat(c.get(EchoService.class, "echo").echo(42)).isEqualTo(42);
      }
      String err = server.stderrText();
      assertThat(err.split("Too many open files", -1).length - 1)
          .as("one warning per episode, not one per failed accept:\n" + err).isEqualTo(1);
      assertThat(err).contains("accepting again");
    }
  }
}
