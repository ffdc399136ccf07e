package dev.tether.limits;

import dev.tether.fixtures.PlainTcp;
import dev.tether.Tether;
import dev.tether.TetherServer;
import dev.tether.fixtures.EchoService;
import dev.tether.fixtures.EchoServiceImpl;
import java.io.IOException;
import java.time.Duration;

/**
 * A server JVM for the limits tests: exports "echo" on {@code tcp:127.0.0.1:0}, prints
 * {@code READY <address>}, and exits when its standard input ends. Optional arguments:
 * {@code maxConnections=N}, {@code idleTimeoutMillis=N}, {@code handshakeTimeoutMillis=N}.
 */
public final class LimitsServerMain {
  private LimitsServerMain() {}

  public static void main(String[] args) throws IOException {
    TetherServer.Builder b = TetherServer.builder()
        .export("echo", EchoService.class, new EchoServiceImpl())
        .listen("tcp:127.0.0.1:0").insecurePlaintextTcp();
    for (String a : args) {
      String[] kv = a.split("=", 2);
      switch (kv[0]) {
        case "maxConnections" -> b.maxConnections(Integer.parseInt(kv[1]));
        case "idleTimeoutMillis" -> b.idleTimeout(Duration.ofMillis(Long.parseLong(kv[1])));
        case "handshakeTimeoutMillis" ->
            b.handshakeTimeout(Duration.ofMillis(Long.parseLong(kv[1])));
        case "failedConnectionRate" -> b.failedConnectionRate(Integer.parseInt(kv[1]));
        default -> throw new IllegalArgumentException(a);
      }
    }
    TetherServer server = b.start();
    // One round trip loads every class the serving and closing paths use: a test that exhausts
    // descriptors must not also starve the class loader (classes load from files in tests).
    try (Tether self = Tether.connect(server.address(), PlainTcp.OPTIONS)) {
      self.get(EchoService.class, "echo").echo(0);
    }
    System.out.println("READY " + server.address());
    System.out.flush();
    while (System.in.read() >= 0) {
      // the test writes nothing; end of input ends the server
    }
    server.shutdownNow();
    System.exit(0);
  }
}
