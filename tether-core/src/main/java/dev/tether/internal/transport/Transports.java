package dev.tether.internal.transport;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Opens links and listeners for an {@link Endpoint}: Unix-domain sockets (the local default),
 * TCP, or in-memory pipes. TCP is unauthenticated for now (TLS or a shared-secret handshake is a
 * later issue). Failures are {@link IOException}s that say what went wrong with the address.
 */
public final class Transports {
  private Transports() {}

  /** Connects to {@code endpoint}, waiting at most {@code timeout} for a TCP connection. */
  public static Link connect(Endpoint endpoint, Duration timeout) throws IOException {
    return switch (endpoint.scheme()) {
      case "unix" -> SocketTransport.connectUnix(Path.of(endpoint.host()));
      case "tcp" -> SocketTransport.connectTcp(endpoint.host(), endpoint.port(), timeout);
      case "mem" -> MemoryTransport.connect(endpoint.host());
      default -> throw new IllegalArgumentException("unknown transport " + endpoint.scheme());
    };
  }

  /** Binds a listener at {@code endpoint}. A Unix socket's directory must be private. */
  public static Listener listen(Endpoint endpoint) throws IOException {
    return listen(endpoint, false);
  }

  /**
   * Binds a listener at {@code endpoint}. A Unix socket's directory must belong to this user and
   * be private, except that with {@code othersAdmitted} (the server's peer check admits other
   * users) others may traverse it (but not list or change it), and the socket file is then
   * connectable by everyone: the peer-credential check is what admits or refuses them.
   */
  public static Listener listen(Endpoint endpoint, boolean othersAdmitted) throws IOException {
    return switch (endpoint.scheme()) {
      case "unix" -> SocketTransport.listenUnix(Path.of(endpoint.host()), othersAdmitted);
      case "tcp" -> SocketTransport.listenTcp(endpoint.host(), endpoint.port());
      case "mem" -> MemoryTransport.listen(endpoint.host());
      default -> throw new IllegalArgumentException("unknown transport " + endpoint.scheme());
    };
  }
}
