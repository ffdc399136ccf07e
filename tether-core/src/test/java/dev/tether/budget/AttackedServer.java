package dev.tether.budget;

import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import dev.tether.fixtures.BlobService;
import dev.tether.fixtures.EchoService;
import dev.tether.fixtures.EchoServiceImpl;
import dev.tether.fixtures.HeapProbe;
import java.io.IOException;
import java.time.Duration;

/**
 * Main class of a server JVM that the memory-attack tests start with a small heap and
 * {@code -XX:+ExitOnOutOfMemoryError}: an unbounded allocation ends the process, and the test
 * fails. Prints {@code LISTENING address}; exits when its standard input ends.
 * Arguments: {@code [writeStallMillis [maxFrameBytes]]}.
 */
public final class AttackedServer {
  private AttackedServer() {}

  public static void main(String[] args) throws IOException {
    TetherServer.Builder b = TetherServer.builder()
        .listen("tcp:127.0.0.1:0").insecurePlaintextTcp()
        .export("echo", EchoService.class, new EchoServiceImpl())
        .export("blob", BlobService.class, new BlobService.Impl())
        .export("probe", HeapProbe.class, new HeapProbe.Impl())
        .handshakeTimeout(Duration.ofSeconds(60));
    if (args.length > 0) {
      b.writeStallTimeout(Duration.ofMillis(Long.parseLong(args[0])));
    }
    if (args.length > 1) {
      b.maxFrameBytes(Integer.parseInt(args[1]));
    }
    try (TetherServer server = b.start()) {
      System.out.println("LISTENING " + server.address());
      System.out.flush();
      while (System.in.read() >= 0) {
        // the test writes nothing; the end of input is the signal to stop
      }
    }
  }
}
