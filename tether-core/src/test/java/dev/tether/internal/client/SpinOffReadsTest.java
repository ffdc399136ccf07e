package dev.tether.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import dev.tether.fixtures.ForwardingLink;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.transport.Link;
import dev.tether.internal.transport.Transports;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * With spinning off, a caller waiting for its answer blocks at once and reads once: it made two
 * reads that found nothing before each wait (issue 14: the spin-off TCP round trip was 1.13x the
 * blocking socket floor, which makes one blocking read).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpinOffReadsTest {
  /** Echoes. */
  public interface Echo {
    /** Returns {@code x}. */
    int echo(int x);
  }

  /** A link that counts the reads made on it. */
  static final class ReadCountingLink extends ForwardingLink {
    final AtomicInteger reads = new AtomicInteger();

    ReadCountingLink(Link delegate) {
      super(delegate);
    }

    @Override
    public int tryRead(ByteBuffer dst) throws IOException {
      reads.incrementAndGet();
      return delegate.tryRead(dst);
    }
  }

  TetherServer server;
  ClientConnection connection;

  @AfterEach
  void stop() {
    if (connection != null) {
      connection.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aCallerWithSpinningOffReadsOncePerAnswer() throws Exception {
    server = TetherServer.builder().export("echo", Echo.class, x -> x)
        .spin(Duration.ZERO).listen("mem:" + UUID.randomUUID()).start();
    ReadCountingLink link = new ReadCountingLink(
        Transports.connect(Endpoint.parse(server.address()), Duration.ofSeconds(10)));
    connection = ClientConnection.open(link, TetherOptions.defaults().withSpin(Duration.ZERO));
    Echo echo = RemoteObjectHandler.proxy(connection, Echo.class, "echo");
    for (int i = 0; i < 20; i++) {
      echo.echo(i); // the binding is resolved, the connection settled
    }
    int before = link.reads.get();
    int calls = 200;
    for (int i = 0; i < calls; i++) {
      assertThat(echo.echo(i)).isEqualTo(i);
    }
    double readsPerCall = (link.reads.get() - before) / (double) calls;

    assertThat(readsPerCall).as("reads per synchronous call with spinning off").isLessThan(1.5);
  }
}
