package dev.tether.bench;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;

/**
 * The least code that can ping-pong over the JDK's TLS: one {@link SSLEngine} per end straight
 * over a non-blocking {@link SocketChannel}, spin-polled, with none of Tether's link around it.
 * {@link TlsFloorProbe} times it beside {@code TlsLink}, so what {@code TlsLink} adds beyond the
 * engine is measured rather than inferred. Not thread-safe: one timing thread, one echo thread.
 */
final class BareTlsPingPong implements AutoCloseable {
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final ServerSocketChannel listener;
  private final End client;
  private final Thread echo;
  private final int message;

  private BareTlsPingPong(ServerSocketChannel listener, End client, Thread echo, int message) {
    this.listener = listener;
    this.client = client;
    this.echo = echo;
    this.message = message;
  }

  /**
   * Connects a client engine of {@code clientContext} (hostname verification on, as Tether's
   * default) to an echoing server engine of {@code serverContext} over loopback TCP; {@code
   * suites}, if not null, limits both ends to those cipher suites.
   */
  static BareTlsPingPong open(SSLContext serverContext, SSLContext clientContext, int message,
      String[] suites) throws IOException {
    ServerSocketChannel listener = ServerSocketChannel.open()
        .bind(new InetSocketAddress("127.0.0.1", 0));
    int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
    Thread echo = Thread.ofPlatform().daemon().name("bare-tls-echo").start(() -> {
      SSLEngine engine = serverContext.createSSLEngine();
      engine.setUseClientMode(false);
      engine.setEnabledProtocols(new String[] {"TLSv1.3"});
      if (suites != null) {
        engine.setEnabledCipherSuites(suites);
      }
      try (End server = new End(engine, listener.accept())) {
        server.handshake();
        ByteBuffer buf = ByteBuffer.allocate(message);
        while (true) {
          buf.clear();
          if (!server.fill(buf)) {
            return;
          }
          buf.flip();
          server.write(buf);
        }
      } catch (IOException e) {
        // closed: done
      }
    });
    SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
    SSLEngine engine = clientContext.createSSLEngine("127.0.0.1", port);
    engine.setUseClientMode(true);
    engine.setEnabledProtocols(new String[] {"TLSv1.3"});
    if (suites != null) {
      engine.setEnabledCipherSuites(suites);
    }
    var params = engine.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS");
    engine.setSSLParameters(params);
    End client = new End(engine, ch);
    client.handshake();
    return new BareTlsPingPong(listener, client, echo, message);
  }

  /**
   * {@code n} round trips of {@code message} bytes; returns each one's nanoseconds; fails if an
   * echo is not the message sent.
   */
  long[] run(int n) throws IOException {
    return TlsFloorProbe.time(n, message, client);
  }

  /** The cipher suite the handshake chose. */
  String suite() {
    return client.engine.getSession().getCipherSuite();
  }

  @Override
  public void close() throws IOException {
    TlsFloorProbe.closeAndJoin(client, listener, echo);
  }

  /** One end: an engine, its channel, and its three buffers. */
  private static final class End implements Closeable, TlsFloorProbe.PingEnd {
    final SSLEngine engine;
    final SocketChannel channel;
    /** Ciphertext read and not yet unwrapped, in write mode. */
    final ByteBuffer netIn;
    final ByteBuffer netOut;
    /** Plaintext unwrapped and not yet taken, in write mode. */
    final ByteBuffer appIn;
    private Selector selector;

    End(SSLEngine engine, SocketChannel channel) throws IOException {
      this.engine = engine;
      this.channel = channel;
      channel.configureBlocking(false);
      channel.socket().setTcpNoDelay(true);
      int packet = engine.getSession().getPacketBufferSize();
      netIn = ByteBuffer.allocateDirect(2 * packet);
      netOut = ByteBuffer.allocateDirect(2 * packet);
      appIn = ByteBuffer.allocate(2 * engine.getSession().getApplicationBufferSize());
    }

    @Override
    public void close() throws IOException {
      if (selector != null) {
        selector.close();
      }
      channel.close();
    }

    void handshake() throws IOException {
      engine.beginHandshake();
      while (true) {
        switch (engine.getHandshakeStatus()) {
          case NEED_WRAP -> write(EMPTY);
          case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> unwrapOrRead();
          case NEED_TASK -> {
            Runnable task;
            while ((task = engine.getDelegatedTask()) != null) {
              task.run();
            }
          }
          default -> {
            return;
          }
        }
      }
    }

    /** Wraps all of {@code src} and writes it, spinning until the socket took it. */
    @Override
    public void write(ByteBuffer src) throws IOException {
      do {
        netOut.clear();
        SSLEngineResult r = engine.wrap(src, netOut);
        if (r.getStatus() != SSLEngineResult.Status.OK) {
          throw new IOException("wrap: " + r);
        }
        netOut.flip();
        while (netOut.hasRemaining()) {
          channel.write(netOut);
        }
      } while (src.hasRemaining());
    }

    /** Fills {@code dst} with plaintext, spin-polling; false at the end of the stream. */
    @Override
    public boolean fill(ByteBuffer dst) throws IOException {
      while (dst.hasRemaining()) {
        if (appIn.position() > 0) {
          appIn.flip();
          int n = Math.min(appIn.remaining(), dst.remaining());
          dst.put(dst.position(), appIn, appIn.position(), n);
          dst.position(dst.position() + n);
          appIn.position(appIn.position() + n);
          appIn.compact();
        } else if (!unwrapOrRead()) {
          return false;
        }
      }
      return true;
    }

    /**
     * Reads some ciphertext, polling for {@link TlsFloorProbe#SPIN_NANOS} and then waiting in a
     * selector (so the pair not being timed sleeps); false at the end of the stream.
     */
    private boolean readSome() throws IOException {
      long spinStart = System.nanoTime();
      while (true) {
        int n = channel.read(netIn);
        if (n != 0) {
          return n > 0;
        }
        if (System.nanoTime() - spinStart < TlsFloorProbe.SPIN_NANOS) {
          Thread.onSpinWait();
        } else {
          if (selector == null) {
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
          }
          selector.select(1_000);
          selector.selectedKeys().clear();
        }
      }
    }

    /** Unwraps one record already read, or reads more ciphertext; false at the end. */
    private boolean unwrapOrRead() throws IOException {
      netIn.flip();
      SSLEngineResult r = engine.unwrap(netIn, appIn);
      netIn.compact();
      switch (r.getStatus()) {
        case OK -> {
          return true;
        }
        case BUFFER_UNDERFLOW -> {
          return readSome();
        }
        case CLOSED -> {
          return false;
        }
        default -> throw new IOException("unwrap: " + r);
      }
    }
  }
}
