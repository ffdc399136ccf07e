package dev.tether.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.Tether;
import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import dev.tether.fixtures.EchoService;
import dev.tether.fixtures.EchoServiceImpl;
import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.wire.FrameKind;
import dev.tether.internal.wire.Frames;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Peers whose connections fail (here: a CALL before HELLO) slow down accepting for everybody new,
 * and for nobody already connected. With a rate of one failed connection a second, three failures
 * put the server two seconds in debt: the next new client waits its turn, while a client that was
 * connected before goes on calling.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FailedConnectionPacingTest {

  @Test
  void failingPeersDelayNewConnectionsButNotConnectedClients() throws Exception {
    try (TetherServer server = TetherServer.builder()
            .export("echo", EchoService.class, new EchoServiceImpl())
            .failedConnectionRate(1).start();
        Tether healthy = Tether.connect(server.address())) {
      EchoService echo = healthy.get(EchoService.class, "echo");
      assertThat(echo.echo(1)).isEqualTo(1);

      for (int i = 0; i < 3; i++) {
        sendGarbageAndAwaitTheClose(server.address());
      }

      long t0 = System.nanoTime();
      CompletableFuture<Integer> newcomer = CompletableFuture.supplyAsync(() -> {
        try (Tether late = Tether.connect(server.address(),
            TetherOptions.defaults().withConnectTimeout(Duration.ofSeconds(30)))) {
          return late.get(EchoService.class, "echo").echo(2);
        }
      });
      for (int i = 0; i < 10; i++) {
        assertThat(echo.echo(i)).as("a connected client is never held").isEqualTo(i);
      }
      assertThat(newcomer.get(30, TimeUnit.SECONDS)).isEqualTo(2);
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertThat(waitedMs).as("the newcomer waited its turn behind the failed connections")
          .isGreaterThanOrEqualTo(500);
    }
  }

  /** Connects, sends a CALL before any HELLO, and waits for the server to close (bounded). */
  private static void sendGarbageAndAwaitTheClose(String address) throws Exception {
    Endpoint e = Endpoint.parse(address);
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(e.host()));
      ByteWriter w = new ByteWriter(32);
      Frames.beginCall(w, 1, 0, 0, -1);
      Frames.end(w, FrameKind.DEFAULT_MAX_FRAME_BYTES);
      ch.write(ByteBuffer.wrap(w.array(), 0, w.size()));
      ByteBuffer sink = ByteBuffer.allocate(4096);
      while (ch.read(sink.clear()) >= 0) {
        // the GOAWAY, then the end of the stream (the test's timeout bounds it)
      }
    }
  }
}
