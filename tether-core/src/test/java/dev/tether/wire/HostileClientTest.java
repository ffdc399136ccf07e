package dev.tether.wire;

import dev.tether.fixtures.PlainTcp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.Tether;
import dev.tether.TetherServer;
import dev.tether.fixtures.EchoService;
import dev.tether.fixtures.EchoServiceImpl;
import dev.tether.internal.codec.InterfaceSchema;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.transport.Transports;
import dev.tether.internal.wire.FrameKind;
import dev.tether.internal.wire.Frames;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A peer that breaks the protocol loses its connection; nobody else notices. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileClientTest {
  TetherServer server;
  Tether goodClient;
  EchoService echo;

  @BeforeEach
  void start() {
    server = TetherServer.builder()
        .export("echo", EchoService.class, new EchoServiceImpl())
        .listen("tcp:127.0.0.1:0").insecurePlaintextTcp()
        .maxFrameBytes(64 * 1024)
        .handshakeTimeout(Duration.ofMillis(300))
        .start();
    goodClient = Tether.connect(server.address(), PlainTcp.OPTIONS);
    echo = goodClient.get(EchoService.class, "echo");
  }

  @AfterEach
  void stop() {
    goodClient.close();
    server.close();
  }

  private ScriptedPeer connect() throws Exception {
    return new ScriptedPeer(Transports.connect(Endpoint.parse(server.address()), Duration.ofSeconds(5)));
  }

  private void goodClientStillWorks() {
    assertThat(echo.echo(123)).isEqualTo(123);
  }

  @Test
  void garbageInsteadOfHelloIsRefused() throws Exception {
    try (ScriptedPeer peer = connect()) {
      byte[] junk = new byte[64];
      new Random(1).nextBytes(junk);
      junk[0] = 0; // a small length so the server reads a whole "frame"
      junk[1] = 0;
      junk[2] = 0;
      junk[3] = 20;
      peer.sendRaw(junk);
      ScriptedPeer.Received r = peer.next();
      assertThat(r.kind()).isIn(FrameKind.GOAWAY, -1);
      peer.awaitEof();
    }
    goodClientStillWorks();
  }

  @Test
  void frameLongerThanTheLimitClosesTheConnection() throws Exception {
    try (ScriptedPeer peer = connect()) {
      peer.hello();
      assertThat(peer.next().kind()).isEqualTo(FrameKind.HELLO);
      peer.sendRaw(new byte[] {0, 2, 0, 0, FrameKind.CALL, 0, 0, 0, 0, 1});
      ScriptedPeer.Received r = peer.nextOf(FrameKind.GOAWAY);
      assertThat(r.detail()).startsWith("PROTOCOL_ERROR").contains("frame length");
      peer.awaitEof();
    }
    goodClientStillWorks();
  }

  @Test
  void unknownFrameKindClosesTheConnection() throws Exception {
    try (ScriptedPeer peer = connect()) {
      peer.hello();
      peer.send(w -> {
        Frames.begin(w, 99, 0, 1);
        Frames.end(w, Integer.MAX_VALUE);
      });
      assertThat(peer.nextOf(FrameKind.GOAWAY).detail()).contains("unknown frame kind 99");
      peer.awaitEof();
    }
    goodClientStillWorks();
  }

  @Test
  void callBeforeHelloIsRefused() throws Exception {
    try (ScriptedPeer peer = connect()) {
      peer.send(w -> {
        Frames.beginCall(w, 1, 0, 0, -1);
        Frames.end(w, Integer.MAX_VALUE);
      });
      assertThat(peer.nextOf(FrameKind.GOAWAY).detail()).contains("HELLO");
      peer.awaitEof();
    }
    goodClientStillWorks();
  }

  @Test
  void undecodableArgumentsCloseTheConnection() throws Exception {
    InterfaceSchema schema = InterfaceSchema.of(EchoService.class);
    int echoIndex = schema.indexOf(EchoService.class.getMethod("echoSample",
        dev.tether.fixtures.Sample.class));
    try (ScriptedPeer peer = connect()) {
      peer.hello();
      peer.send(w -> Frames.resolve(w, 1, "echo", EchoService.class.getName(),
          schema.signatures(), Integer.MAX_VALUE));
      assertThat(peer.nextOf(FrameKind.RESOLVED).detail()).isEqualTo("0");
      peer.send(w -> {
        Frames.beginCall(w, 2, 0, echoIndex, -1);
        w.writeByte(1);      // "present"
        w.writeVarInt(1000); // a string length far beyond the frame
        Frames.end(w, Integer.MAX_VALUE);
      });
      assertThat(peer.nextOf(FrameKind.GOAWAY).detail()).startsWith("PROTOCOL_ERROR")
          .contains("undecodable arguments");
      peer.awaitEof();
    }
    goodClientStillWorks();
  }

  @Test
  void aDeadlineTooFarAwayToRepresentMeansNoDeadline() throws Exception {
    InterfaceSchema schema = InterfaceSchema.of(EchoService.class);
    int echoIndex = schema.indexOf(EchoService.class.getMethod("echo", int.class));
    try (ScriptedPeer peer = connect()) {
      peer.hello();
      peer.send(w -> Frames.resolve(w, 1, "echo", EchoService.class.getName(),
          schema.signatures(), Integer.MAX_VALUE));
      assertThat(peer.nextOf(FrameKind.RESOLVED).detail()).isEqualTo("0");
      peer.send(w -> {
        Frames.beginCall(w, 2, 0, echoIndex, Long.MAX_VALUE); // now + this overflows
        w.writeInt(7);
        Frames.end(w, Integer.MAX_VALUE);
      });
      ScriptedPeer.Received answer = peer.next();
      assertThat(answer.kind()).as(answer.toString()).isEqualTo(FrameKind.RESULT);
    }
    goodClientStillWorks();
  }

  @Test
  void truncatedFrameThenCloseHarmsNobody() throws Exception {
    try (ScriptedPeer peer = connect()) {
      peer.hello();
      peer.sendRaw(new byte[] {0, 0, 0, 50, FrameKind.CALL, 0});
    }
    goodClientStillWorks();
    assertThat(server.stats().connections()).isLessThanOrEqualTo(2);
  }

  @Test
  void silentPeerIsClosedAfterTheHandshakeTimeout() throws Exception {
    try (ScriptedPeer peer = connect()) {
      assertThat(peer.next()).isEqualTo(ScriptedPeer.EOF);
    }
    goodClientStillWorks();
  }

  @Test
  void callOnAnUnknownBindingClosesTheConnection() throws Exception {
    try (ScriptedPeer peer = connect()) {
      peer.hello();
      peer.send(w -> {
        Frames.beginCall(w, 1, 7, 0, -1);
        Frames.end(w, Integer.MAX_VALUE);
      });
      assertThat(peer.nextOf(FrameKind.GOAWAY).detail()).contains("unknown binding");
      peer.awaitEof();
    }
    goodClientStillWorks();
  }
}
