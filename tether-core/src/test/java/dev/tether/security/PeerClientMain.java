package dev.tether.security;

import dev.tether.Tether;
import dev.tether.TetherException;
import dev.tether.fixtures.WhoService;

/**
 * A client JVM for the peer-credential tests, run as another OS user: connects to {@code args[0]},
 * asks who it is, and prints {@code OK <identity>} or {@code REFUSED <code>: <message>}.
 */
public final class PeerClientMain {
  private PeerClientMain() {}

  /** Connects and prints what happened; exits 0 when the call worked, 3 when refused. */
  public static void main(String[] args) {
    try (Tether t = Tether.connect(args[0])) {
      System.out.println("OK " + t.get(WhoService.class, "who").who());
      System.exit(0);
    } catch (TetherException e) {
      System.out.println("REFUSED " + e.code() + ": " + e.getMessage());
      System.exit(3);
    }
  }
}
