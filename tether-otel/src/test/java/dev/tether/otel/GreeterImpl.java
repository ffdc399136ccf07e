package dev.tether.otel;

import dev.tether.Tether;
import dev.tether.TetherOptions;

/** Serves {@link Greeter}; its nested calls use {@code options} (with the client listener). */
public final class GreeterImpl implements Greeter {
  private final TetherOptions options;

  public GreeterImpl(TetherOptions options) {
    this.options = options;
  }

  @Override
  public String greet(String name) {
    return "hello " + name;
  }

  @Override
  public void fail(String message) {
    throw new IllegalStateException(message);
  }

  @Override
  public String relay(String address, String name) {
    try (Tether next = Tether.connect(address, options)) {
      return next.get(Greeter.class, "greeter").greet(name);
    }
  }
}
