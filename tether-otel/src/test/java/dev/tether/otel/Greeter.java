package dev.tether.otel;

/** A small service for the tests: a greeting, a failure, and a call on to another server. */
public interface Greeter {
  String greet(String name);

  void fail(String message);

  /** Greets through the Greeter "greeter" at {@code address}. */
  String relay(String address, String name);
}
