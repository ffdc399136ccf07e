package dev.tether.internal.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Unix-domain and TCP sockets: connected and accepted channels become {@link NioLink}s
 * (non-blocking); the listening channel itself accepts in blocking mode.
 */
final class SocketTransport {
  private SocketTransport() {}

  static Link connectUnix(Path path) throws IOException {
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      ch.connect(UnixDomainSocketAddress.of(path));
      return new NioLink(ch, ch, "unix:" + path, Link.WRITE_STALL_NANOS, ch);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  static Link connectTcp(String host, int port, Duration timeout) throws IOException {
    SocketChannel ch = SocketChannel.open();
    try {
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      long millis = Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
      ch.socket().connect(new InetSocketAddress(host, port), (int) millis);
      return new NioLink(ch, ch, "tcp:" + ch.getRemoteAddress(), Link.WRITE_STALL_NANOS, ch);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** TCP, then TLS: the handshake shares the timeout with the connect. */
  static Link connectTls(String host, int port, Duration timeout, TlsConfig tls)
      throws IOException {
    long start = dev.tether.internal.time.Clock.system().nanoTime();
    Link plain = connectTcp(host, port, timeout);
    long left = timeout.toNanos() - (dev.tether.internal.time.Clock.system().nanoTime() - start);
    return TlsLink.connect(plain, ((NioLink) plain).channel() instanceof SocketChannel ch ? ch
        : null, tls, host, port, Math.max(1, left));
  }

  static Listener listenUnix(Path path, boolean othersAdmitted) throws IOException {
    PrivateDirs.requirePrivateParent(path, othersAdmitted);
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      server.bind(UnixDomainSocketAddress.of(path));
      PrivateDirs.setSocketMode(path, othersAdmitted);
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    return new SocketListener(server, Endpoint.unix(path), path);
  }

  static Listener listenTcp(String host, int port) throws IOException {
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new UnknownHostException("host " + host + " cannot be resolved");
    }
    ServerSocketChannel server = ServerSocketChannel.open();
    try {
      server.bind(address);
      InetSocketAddress bound = (InetSocketAddress) server.getLocalAddress();
      return new SocketListener(server, Endpoint.tcp(host, bound.getPort()), null);
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private static final class SocketListener implements Listener {
    private final ServerSocketChannel server;
    private final Endpoint endpoint;
    private final Path socketFile;

    SocketListener(ServerSocketChannel server, Endpoint endpoint, Path socketFile) {
      this.server = server;
      this.endpoint = endpoint;
      this.socketFile = socketFile;
    }

    @Override
    public Link accept() throws IOException {
      SocketChannel ch = server.accept();
      try {
        if (socketFile == null) {
          ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
          return new NioLink(ch, ch, "tcp:" + ch.getRemoteAddress(), Link.WRITE_STALL_NANOS, ch);
        }
        return new NioLink(ch, ch, "unix:" + socketFile + " (client)", Link.WRITE_STALL_NANOS, ch);
      } catch (IOException | RuntimeException e) {
        ch.close();
        throw e;
      }
    }

    @Override
    public Endpoint endpoint() {
      return endpoint;
    }

    @Override
    public void close() {
      try {
        server.close();
      } catch (IOException ignored) {
        // nothing more to release
      }
      if (socketFile != null) {
        PrivateDirs.deleteSocketAndDir(socketFile, false);
      }
    }
  }
}
