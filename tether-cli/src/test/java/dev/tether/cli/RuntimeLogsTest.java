package dev.tether.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.Tether;
import dev.tether.TetherServer;
import dev.tether.cli.demo.DemoService;
import dev.tether.cli.demo.DemoServiceImpl;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The runtime's logs (System.Logger, here backed by java.util.logging): calls log nothing above
 * DEBUG; a protocol error is one WARNING on {@code dev.tether.server}. Here rather than in
 * tether-core, whose tests compile inside module dev.tether, which does not read java.logging.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RuntimeLogsTest {
  final List<LogRecord> records = new CopyOnWriteArrayList<>();
  final List<Logger> loggers = List.of(Logger.getLogger("dev.tether.server"),
      Logger.getLogger("dev.tether.client"));
  final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord r) {
      records.add(r);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void capture() {
    for (Logger l : loggers) {
      l.setLevel(Level.ALL);
      l.addHandler(handler);
    }
  }

  @AfterEach
  void release() {
    for (Logger l : loggers) {
      l.removeHandler(handler);
      l.setLevel(null);
    }
  }

  @Test
  void callsLogNothingAboveDebugWhileConnectionsLogOpenAndCloseAtDebug() throws Exception {
    try (TetherServer server = TetherServer.builder()
        .export("demo", DemoService.class, new DemoServiceImpl()).start()) {
      try (Tether client = Tether.connect(server.address())) {
        DemoService demo = client.get(DemoService.class, "demo");
        for (int i = 0; i < 100; i++) {
          demo.greet("log " + i);
        }
      }
      awaitUntil(() -> records.stream().anyMatch(r -> r.getMessage().contains("closed")),
          "the server to log the closed connection");
    }
    assertThat(records).allSatisfy(r -> assertThat(r.getLevel().intValue())
        .as(r.getMessage()).isLessThan(Level.INFO.intValue()));
    assertThat(records).extracting(LogRecord::getMessage)
        .anySatisfy(m -> assertThat(m).contains("opened"))
        .anySatisfy(m -> assertThat(m).startsWith("connected to"));
  }

  @Test
  void aProtocolErrorIsOneWarningForThatConnection() throws Exception {
    try (TetherServer server = TetherServer.builder()
        .export("demo", DemoService.class, new DemoServiceImpl()).start()) {
      Path socket = Path.of(server.address().substring("unix:".length()));
      try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
        ByteBuffer frame = ByteBuffer.allocate(10).putInt(6).put((byte) 4).put((byte) 0)
            .putInt(1).flip(); // a CALL cut short, before any HELLO
        ch.write(frame);
        ByteBuffer sink = ByteBuffer.allocate(4096);
        while (ch.read(sink) >= 0) { // until the server closes it
          sink.clear();
        }
      }
      awaitUntil(() -> records.stream().anyMatch(r -> r.getMessage().contains("closed")
          && r.getMessage().contains("protocol error")), "the close to be logged");
    }
    assertThat(records.stream().filter(r -> r.getLevel() == Level.WARNING))
        .singleElement().satisfies(r -> {
          assertThat(r.getLoggerName()).isEqualTo("dev.tether.server");
          assertThat(r.getMessage()).startsWith("protocol error from").contains("malformed CALL");
        });
  }

  private static void awaitUntil(java.util.function.BooleanSupplier c, String what)
      throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!c.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("not within 30 s: " + what);
      }
      Thread.sleep(1);
    }
  }
}
