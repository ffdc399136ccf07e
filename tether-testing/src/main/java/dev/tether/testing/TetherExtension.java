package dev.tether.testing;

import dev.tether.Tether;
import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that starts an {@link InProcessServer} before the tests and closes it after
 * them: in a {@code static} field, one server for the whole class; in an instance field, a fresh
 * server for every test.
 *
 * <pre>{@code
 * @RegisterExtension
 * static TetherExtension tether = TetherExtension.serving("calc", Calc.class, new CalcImpl());
 *
 * @Test
 * void adds() {
 *   assertThat(tether.get(Calc.class).add(2, 3)).isEqualTo(5);
 * }
 * }</pre>
 *
 * <p>Needs JUnit Jupiter 5 on the test class path (the kit does not bring it). Thread-safe after
 * start; the accessors throw {@link IllegalStateException} outside the tests it serves.
 */
@SuppressWarnings("exports") // JUnit's callback types: a user of the extension has JUnit
public final class TetherExtension implements BeforeAllCallback, AfterAllCallback,
    BeforeEachCallback, AfterEachCallback {

  private record Export<T>(String name, Class<T> iface, T implementation) {
    void addTo(TetherServer.Builder b) {
      b.export(name, iface, implementation);
    }
  }

  private final List<Export<?>> exports = new ArrayList<>();
  private Consumer<TetherServer.Builder> configure = b -> {};
  private TetherOptions clientOptions = TetherOptions.defaults();
  private volatile InProcessServer server;
  private boolean perClass;

  private TetherExtension() {}

  /**
   * An extension whose server exports {@code implementation} under {@code name} as {@code iface}.
   * Export a {@link Faults#proxy()} to script slow, hung or failing calls.
   */
  public static <T> TetherExtension serving(String name, Class<T> iface, T implementation) {
    return new TetherExtension().andServing(name, iface, implementation);
  }

  /** An extension whose server {@code configure} sets up entirely (exports, limits). */
  public static TetherExtension configuring(Consumer<TetherServer.Builder> configure) {
    TetherExtension e = new TetherExtension();
    e.configure = Objects.requireNonNull(configure, "configure");
    return e;
  }

  /**
   * Also exports {@code implementation} under {@code name}.
   *
   * @return this
   */
  public <T> TetherExtension andServing(String name, Class<T> iface, T implementation) {
    exports.add(new Export<>(Objects.requireNonNull(name, "name"),
        Objects.requireNonNull(iface, "iface"),
        Objects.requireNonNull(implementation, "implementation")));
    return this;
  }

  /**
   * The options of every client connection (default {@link TetherOptions#defaults()}).
   *
   * @return this
   */
  public TetherExtension clientOptions(TetherOptions options) {
    this.clientOptions = Objects.requireNonNull(options, "options");
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    perClass = true;
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!perClass) {
      start();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!perClass) {
      stop();
    }
  }

  private void start() {
    server = InProcessServer.start(b -> {
      for (Export<?> e : exports) {
        e.addTo(b);
      }
      configure.accept(b);
    }, clientOptions);
  }

  private void stop() {
    InProcessServer s = server;
    server = null;
    if (s != null) {
      s.close();
    }
  }

  /**
   * The running server.
   *
   * @throws IllegalStateException outside the tests this extension serves
   */
  public InProcessServer server() {
    InProcessServer s = server;
    if (s == null) {
      throw new IllegalStateException("the Tether test server runs only during the tests"
          + " (register the extension with @RegisterExtension)");
    }
    return s;
  }

  /**
   * The shared client connection to the server.
   *
   * @throws IllegalStateException outside the tests this extension serves
   */
  public Tether client() {
    return server().client();
  }

  /**
   * A proxy for the object exported under {@code name}.
   *
   * @throws IllegalStateException outside the tests this extension serves
   * @throws dev.tether.TetherException when nothing is exported under that name as {@code iface}
   */
  public <T> T get(Class<T> iface, String name) {
    return server().get(iface, name);
  }

  /**
   * A proxy for the one object exported as {@code iface} with {@link #serving} or
   * {@link #andServing}.
   *
   * @throws IllegalArgumentException when no export, or more than one, has that interface
   * @throws IllegalStateException outside the tests this extension serves
   */
  public <T> T get(Class<T> iface) {
    List<String> names = exports.stream().filter(e -> e.iface() == iface).map(Export::name)
        .toList();
    if (names.size() != 1) {
      throw new IllegalArgumentException(names.isEmpty()
          ? "nothing is exported as " + iface.getName()
          : iface.getName() + " is exported under several names " + names + ": pass the name");
    }
    return get(iface, names.get(0));
  }

  /** The server's in-memory address, for code under test that connects by itself. */
  public String address() {
    return server().address();
  }
}
