package dev.tether.bench;

import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import java.io.IOException;
import java.io.InputStream;

/**
 * Main class of the server JVMs the benchmark starts ({@link ServerProcess}): starts the server of
 * one peer, prints {@code READY <address>}, and exits when its standard input closes.
 */
public final class ServerMain {
  private ServerMain() {}

  /** {@code ServerMain tether-tcp|tether-tls|tether-attack|rmi|grpc|lsp4j|raw-uds|raw-tcp}. */
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: ServerMain tether-tcp|tether-tls|tether-attack|rmi|grpc|lsp4j|raw-uds|raw-tcp");
      System.exit(2);
    }
    AutoCloseable server;
    String address;
    switch (args[0]) {
      case "tether-tcp", "tether-tcp-nospin" -> {
        TetherServer s = TetherServer.builder()
            .export("svc", BenchService.class, new BenchServiceImpl())
            .listen("tcp:127.0.0.1:0").insecurePlaintextTcp()
            .spin(args[0].endsWith("-nospin") ? java.time.Duration.ZERO
                : TetherBench.options().spin())
            .maxCallsPerConnection(Integer.getInteger(ScaleBench.MAX_CALLS_PROPERTY,
                TetherServer.DEFAULT_MAX_CALLS_PER_CONNECTION))
            .start();
        server = s;
        address = s.address();
      }
      case "tether-tls" -> {
        TetherServer s = TetherServer.builder()
            .export("svc", BenchService.class, new BenchServiceImpl())
            .listen("tcp:127.0.0.1:0")
            .spin(TetherBench.options().spin())
            .tls(BenchTls.server(java.nio.file.Path.of(
                System.getProperty(BenchTls.KEYSTORE_PROPERTY))))
            .start();
        server = s;
        address = s.address();
      }
      case "tether-attack" -> { // the server under attack: Tether's defaults, no tuning
        AttackServiceImpl attack = new AttackServiceImpl();
        TetherServer s = TetherServer.builder()
            .export("attack", AttackService.class, attack)
            .listen("tcp:127.0.0.1:0").insecurePlaintextTcp()
            .start();
        attack.countConnectionsOf(s);
        server = s;
        address = s.address();
      }
      case "stream-uds", "stream-tcp" -> { // StreamBench's Tether server
        TetherServer.Builder b = TetherServer.builder()
            .export("streams", StreamBenchService.class, new StreamBenchService.Impl());
        String spin = System.getProperty(TetherBench.SPIN_PROPERTY); // StreamBench --tether-spin
        if (spin != null) {
          b.spin(java.time.Duration.ofNanos(Long.parseLong(spin)));
        }
        if (args[0].equals("stream-tcp")) {
          b.listen("tcp:127.0.0.1:0").insecurePlaintextTcp();
        }
        TetherServer s = b.start();
        server = s;
        address = s.address();
      }
      case "rawstream-uds", "rawstream-tcp" -> {
        RawStreamServer s = RawStreamServer.start(args[0].equals("rawstream-uds"));
        server = s;
        address = s.address();
      }
      case "rmi" -> {
        RmiBench.Server s = RmiBench.Server.start();
        server = s;
        address = s.address();
      }
      case "grpc" -> {
        GrpcBench.Server s = GrpcBench.Server.start();
        server = s;
        address = s.address();
      }
      case "lsp4j" -> {
        Lsp4jBench.Server s = Lsp4jBench.Server.start();
        server = s;
        address = s.address();
      }
      case "raw-uds", "raw-tcp" -> {
        RawBench.Server s = RawBench.Server.start(args[0].equals("raw-uds"));
        server = s;
        address = s.address();
      }
      default -> {
        System.err.println("unknown server kind " + args[0]);
        System.exit(2);
        return;
      }
    }
    System.out.println("READY " + address);
    System.out.flush();
    waitForEndOfInput(System.in);
    try {
      server.close();
    } finally {
      System.exit(0);
    }
  }

  private static void waitForEndOfInput(InputStream in) {
    try {
      while (in.read() >= 0) {
        // the parent never writes; EOF means it closed the pipe or died
      }
    } catch (IOException ignored) {
      // treat as end of input
    }
  }
}
