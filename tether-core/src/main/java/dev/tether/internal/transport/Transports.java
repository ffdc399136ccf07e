package dev.tether.internal.transport;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Opens links and listeners for an {@link Endpoint}: Unix-domain sockets (the local default),
 * TCP (optionally with TLS 1.3, see {@link TlsLink}), or in-memory pipes. Failures are
 * {@link IOException}s that say what went wrong with the address; a TLS failure is a
 * {@link TlsException}.
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

  /**
   * Connects to a TCP {@code endpoint} and completes a TLS 1.3 handshake with {@code tls}, both
   * within {@code timeout}. The server's certificate must be trusted and, unless the config says
   * otherwise, name the endpoint's host.
   *
   * @throws TlsException when the server cannot be authenticated (or refuses this client)
   * @throws IllegalArgumentException for an endpoint that is not TCP
   */
  public static Link connect(Endpoint endpoint, Duration timeout, TlsConfig tls)
      throws IOException {
    if (tls == null) {
      return connect(endpoint, timeout);
    }
    if (!endpoint.scheme().equals("tcp")) {
      throw new IllegalArgumentException("TLS needs a tcp: address, not " + endpoint);
    }
    return SocketTransport.connectTls(endpoint.host(), endpoint.port(), timeout, tls);
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

  /**
   * Wraps an accepted TCP link in TLS: the handshake happens in its reader's first reads (see
   * {@link TlsLink}); {@code failures} hears of each failed handshake. Cheap (no I/O, no buffers),
   * so an accepting thread may call it. A link that is not TCP is returned unchanged.
   */
  public static Link secureAccepted(Link link, TlsConfig tls, TlsFailureSink failures) {
    if (!(link instanceof NioLink nio) || !(nio.channel() instanceof
        java.nio.channels.SocketChannel ch) || !link.peer().startsWith("tcp:")) {
      return link;
    }
    return TlsLink.server(link, ch, tls, failures);
  }

  /** Hears of TLS handshakes that failed on a server. */
  public interface TlsFailureSink {
    /** The handshake with {@code peer} failed for {@code why} (no secrets in it). */
    void handshakeFailed(String peer, String why);
  }
}
