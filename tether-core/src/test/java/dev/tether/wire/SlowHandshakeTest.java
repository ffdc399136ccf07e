package dev.tether.wire;

import dev.tether.TetherOptions;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.TetherServer;
import dev.tether.fixtures.EchoService;
import dev.tether.fixtures.EchoServiceImpl;
import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.transport.Transports;
import dev.tether.internal.wire.FrameKind;
import dev.tether.internal.wire.Frames;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The handshake timeout bounds a peer that trickles its HELLO: each byte does not extend it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SlowHandshakeTest {

  @Test
  void aPeerThatTricklesItsHelloIsClosedAtTheHandshakeTimeout() throws Exception {
    try (TetherServer server = TetherServer.builder()
        .export("echo", EchoService.class, new EchoServiceImpl())
        .listen("tcp:127.0.0.1:0").insecurePlaintextTcp()
        .handshakeTimeout(Duration.ofMillis(300)).start();
        ScriptedPeer peer = new ScriptedPeer(
            Transports.connect(Endpoint.parse(server.address()), Duration.ofSeconds(5)))) {
      ByteWriter hello = new ByteWriter(64);
      Frames.hello(hello, FrameKind.VERSION, 1 << 20, "trickler ".repeat(25)); // 10 s of trickle
      int sent = 0;
      try {
        for (; sent < hello.size() - 1; sent++) { // never the last byte
          peer.sendRaw(new byte[] {hello.array()[sent]});
          Thread.sleep(50); // the trickle is the subject: one byte every 50 ms
          if (server.stats().connections() == 0) {
            break;
          }
        }
      } catch (IOException closed) {
        // the server closed it while we were still trickling: what we expect
      }
      assertThat(peer.next()).isEqualTo(ScriptedPeer.EOF);
      assertThat(sent).as("closed long before the trickle could complete the HELLO")
          .isLessThan(hello.size() - 1);
    }
  }
}
