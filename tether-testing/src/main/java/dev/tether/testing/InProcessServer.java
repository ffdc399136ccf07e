package dev.tether.testing;

import dev.tether.Tether;
import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A {@link TetherServer} in this JVM, listening only on a fresh in-memory address
 * ({@code mem:name}): no process, no socket, no file. Calls still go through everything a remote
 * call goes through (encoding, frames, the server's threads, cancellation, deadlines), over a pair
 * of in-memory pipes, so what a test sees is what a caller of a real worker sees, minus the
 * process.
 *
 * <pre>{@code
 * try (InProcessServer server = InProcessServer.start(b -> b.export("calc", Calc.class, new CalcImpl()))) {
 *   Calc calc = server.get(Calc.class, "calc");
 *   assertThat(calc.add(2, 3)).isEqualTo(5);
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} closes every client it handed out, then the server.
 */
public final class InProcessServer implements AutoCloseable {
  private static final AtomicLong NAMES = new AtomicLong();

  private final TetherServer server;
  private final TetherOptions options;
  private final List<Tether> clients = new ArrayList<>();
  private Tether client;
  private boolean closed;

  private InProcessServer(TetherServer server, TetherOptions options) {
    this.server = server;
    this.options = options;
  }

  /**
   * Starts a server with what {@code configure} sets on its builder (exports, limits); the kit
   * adds the in-memory address. Clients use {@link TetherOptions#defaults()}.
   *
   * @throws dev.tether.TetherException when the server cannot start
   */
  public static InProcessServer start(Consumer<TetherServer.Builder> configure) {
    return start(configure, TetherOptions.defaults());
  }

  /**
   * Like {@link #start(Consumer)}, with the options every client of this server uses.
   *
   * @throws dev.tether.TetherException when the server cannot start
   */
  public static InProcessServer start(Consumer<TetherServer.Builder> configure,
      TetherOptions clientOptions) {
    Objects.requireNonNull(configure, "configure");
    Objects.requireNonNull(clientOptions, "clientOptions");
    TetherServer.Builder b = TetherServer.builder()
        .listen("mem:tether-testing-" + ProcessHandle.current().pid() + "-"
            + NAMES.incrementAndGet())
        .description("tether-testing in-process server");
    configure.accept(b);
    return new InProcessServer(b.start(), clientOptions);
  }

  /** The server's in-memory address, {@code mem:...}; reachable only from this JVM. */
  public String address() {
    return server.addresses().stream().filter(a -> a.startsWith("mem:")).findFirst()
        .orElse(server.address());
  }

  /** The server itself, for its statistics, orphans and lifecycle. */
  public TetherServer server() {
    return server;
  }

  /**
   * The shared client connection, opened on first use.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  public synchronized Tether client() {
    if (client == null) {
      client = connect();
    }
    return client;
  }

  /**
   * A new client connection of its own (closed by {@link #close()} if the test did not).
   *
   * @throws IllegalStateException after {@link #close()}
   * @throws dev.tether.TetherException when it cannot connect
   */
  public synchronized Tether connect() {
    if (closed) {
      throw new IllegalStateException("this in-process server is closed");
    }
    Tether t = Tether.connect(address(), options);
    clients.add(t);
    return t;
  }

  /**
   * A proxy for the object exported under {@code name}, on the shared client.
   *
   * @throws dev.tether.TetherException when nothing is exported under that name as {@code iface}
   */
  public <T> T get(Class<T> iface, String name) {
    return client().get(iface, name);
  }

  /** Closes every client it handed out, then shuts the server down now. Idempotent. */
  @Override
  public void close() {
    List<Tether> open;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      open = List.copyOf(clients);
      clients.clear();
      client = null;
    }
    try {
      for (Tether t : open) {
        t.close();
      }
    } finally {
      server.close();
    }
  }
}
