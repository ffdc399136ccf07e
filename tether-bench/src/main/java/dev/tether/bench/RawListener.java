package dev.tether.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The listening socket of a raw-socket baseline ({@link RawBench.Server}, {@link RawStreamServer}):
 * a Unix-domain socket in a fresh temporary directory, or 127.0.0.1 with a free port. Closing it
 * deletes the socket file and its directory.
 *
 * @param channel the listening channel (blocking)
 * @param address {@code unix:PATH} or {@code tcp:127.0.0.1:PORT}
 * @param dir the socket's directory, or null for TCP
 */
record RawListener(ServerSocketChannel channel, String address, Path dir) implements AutoCloseable {
  /** Binds a Unix-domain socket in a new directory named after {@code prefix}, or TCP. */
  static RawListener open(boolean uds, String prefix) throws IOException {
    if (uds) {
      Path dir = Files.createTempDirectory(prefix);
      Path sock = dir.resolve("raw.sock");
      ServerSocketChannel l = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      l.bind(UnixDomainSocketAddress.of(sock));
      return new RawListener(l, "unix:" + sock, dir);
    }
    ServerSocketChannel l = ServerSocketChannel.open();
    l.bind(new InetSocketAddress("127.0.0.1", 0));
    return new RawListener(l,
        "tcp:127.0.0.1:" + ((InetSocketAddress) l.getLocalAddress()).getPort(), null);
  }

  /** True for a Unix-domain socket. */
  boolean uds() {
    return dir != null;
  }

  @Override
  public void close() throws IOException {
    channel.close();
    if (dir != null) {
      Files.deleteIfExists(dir.resolve("raw.sock"));
      Files.deleteIfExists(dir);
    }
  }
}
