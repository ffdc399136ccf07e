package dev.tether.internal.transport;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one rule for TCP, on both sides: a TCP connection is protected by TLS or a shared secret, or
 * runs in plain text only because the user asked for it by a method whose name says it is
 * insecure. Without any of the three, a server refuses to start and a client refuses to connect.
 * The insecure choice is logged once per process, as a warning.
 *
 * <p>Thread-safe; stateless apart from the once-per-process warning.
 */
public final class TcpProtection {
  private static final System.Logger LOG = System.getLogger("dev.tether.security");
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private TcpProtection() {}

  /**
   * Null when TCP may be used with this configuration, else why not, naming the three choices.
   * Logs the once-per-process warning when the only reason it may is {@code insecureOptIn}.
   *
   * @param side "server" or "client", for the message
   * @param how the three options as the user spells them on that side, for the message
   */
  public static String refusal(boolean tlsConfigured, boolean secretConfigured,
      boolean insecureOptIn, String side, String how) {
    if (tlsConfigured || secretConfigured) {
      return null;
    }
    if (insecureOptIn) {
      if (WARNED.compareAndSet(false, true)) {
        LOG.log(System.Logger.Level.WARNING, "plain TCP without TLS or a shared secret was "
            + "enabled explicitly: anyone who can reach the port can call every exported method,"
            + " and the traffic can be read and changed on the way (see docs/SECURITY.md)");
      }
      return null;
    }
    return "a " + side + " refuses plain TCP by default: anyone who can reach the port could call"
        + " every exported method; choose one of TLS, a shared secret, or explicitly insecure "
        + "plain TCP (" + how + ")";
  }
}
