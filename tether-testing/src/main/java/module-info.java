/**
 * Tether's testing kit: an in-JVM server over the in-memory transport ({@link
 * dev.tether.testing.InProcessServer}), a JUnit 5 extension that starts and closes one ({@link
 * dev.tether.testing.TetherExtension}; JUnit is needed only for that class), and scripted slow,
 * hung and failing implementations ({@link dev.tether.testing.Faults}) to test a caller's
 * cancellation and timeouts without sleeps.
 */
module dev.tether.testing {
  requires transitive dev.tether;
  requires static org.junit.jupiter.api;

  exports dev.tether.testing;
}
