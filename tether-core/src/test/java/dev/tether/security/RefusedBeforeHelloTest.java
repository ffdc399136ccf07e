package dev.tether.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import dev.tether.UnixPeerPolicy;
import dev.tether.fixtures.WhoService;
import dev.tether.fixtures.WhoServiceImpl;
import dev.tether.internal.client.ClientConnection;
import dev.tether.internal.transport.Endpoint;
import dev.tether.fixtures.ForwardingLink;
import dev.tether.internal.transport.Link;
import dev.tether.internal.transport.Transports;
import dev.tether.internal.wire.AuthenticationException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A refused Unix peer may be too slow to send its HELLO before the server closes: its write then
 * fails (broken pipe), and it must still report the server's GOAWAY, which waits in its receive
 * buffer. (Seen with a slow client JVM under load: "Broken pipe" instead of UNAUTHENTICATED.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RefusedBeforeHelloTest {
  /** Delegates to a real link, but its writes fail as if the server had already closed. */
  private static final class ClosedForWrites extends ForwardingLink {
    ClosedForWrites(Link real) {
      super(real);
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
      throw new IOException("Broken pipe");
    }

    @Override
    public boolean isNetwork() {
      return false;
    }
  }

  @Test
  void aClientWhoseHelloCannotBeWrittenStillReportsTheServersRefusal() throws Exception {
    try (TetherServer s = TetherServer.builder()
        .export("who", WhoService.class, new WhoServiceImpl())
        .unixPeers(UnixPeerPolicy.users("tether-nobody-else")).start()) {
      Link real = Transports.connect(Endpoint.parse(s.address()), Duration.ofSeconds(5));
      assertThat(real.awaitReadable(TimeUnit.SECONDS.toNanos(10)))
          .as("the server's GOAWAY arrived").isTrue();
      IOException e = catchThrowableOfType(IOException.class,
          () -> ClientConnection.open(new ClosedForWrites(real), TetherOptions.defaults()));
      assertThat(e).hasRootCauseInstanceOf(AuthenticationException.class)
          .hasMessageContaining("may not connect");
    }
  }
}
