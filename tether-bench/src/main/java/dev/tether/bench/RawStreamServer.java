package dev.tether.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The baseline of {@link StreamBench}: a plain socket that moves the same bytes with nothing on
 * top. Per connection, one command byte: {@code U} (the client sends until it shuts down its
 * output; the server answers the count as 8 bytes), {@code D} then an 8-byte count (the server
 * sends that many zero bytes and closes), or {@code E}: a blocking ping-pong, each message a
 * 4-byte length and that many bytes, echoed whole (the floor of small calls beside a bulk copy:
 * {@link RttBesideStream}).
 */
final class RawStreamServer implements AutoCloseable {
  private final RawListener listener;

  private RawStreamServer(RawListener listener) {
    this.listener = listener;
  }

  static RawStreamServer start(boolean uds) throws IOException {
    RawStreamServer s = new RawStreamServer(RawListener.open(uds, "tether-bench-rawstream"));
    Thread.ofPlatform().daemon().name("rawstream-accept").start(s::acceptLoop);
    return s;
  }

  String address() {
    return listener.address();
  }

  /** Connects to {@code address} (as printed by the server). */
  static SocketChannel connect(String address) throws IOException {
    if (address.startsWith("unix:")) {
      SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
      c.connect(UnixDomainSocketAddress.of(address.substring("unix:".length())));
      return c;
    }
    int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    return SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
  }

  private void acceptLoop() {
    try {
      while (true) {
        SocketChannel ch = listener.channel().accept();
        Thread.ofPlatform().daemon().name("rawstream").start(() -> serve(ch));
      }
    } catch (IOException e) {
      // closed
    }
  }

  private static void serve(SocketChannel ch) {
    try (ch) {
      ByteBuffer cmd = ByteBuffer.allocate(9);
      cmd.limit(1);
      readFully(ch, cmd);
      ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
      if (cmd.get(0) == 'E') {
        RawBench.Server.echo(ch, buf, RawBench.BLOCKING);
      } else if (cmd.get(0) == 'U') {
        long total = 0;
        int n;
        while ((n = ch.read(buf.clear())) >= 0) {
          total += n;
        }
        ch.write(ByteBuffer.allocate(8).putLong(0, total));
      } else {
        cmd.limit(9);
        readFully(ch, cmd);
        long left = cmd.getLong(1);
        while (left > 0) {
          buf.clear().limit((int) Math.min(buf.capacity(), left));
          left -= ch.write(buf);
        }
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  static void readFully(SocketChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      if (ch.read(b) < 0) {
        throw new IOException("closed early");
      }
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
