package dev.tether.internal.transport;

import dev.tether.internal.time.Clock;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * A {@link Link} that speaks TLS 1.3 over another (non-blocking) link, with the JDK's
 * {@link SSLEngine}. It keeps the link's contract: {@link #tryRead} never blocks (buffered
 * plaintext first, then at most one non-blocking read of ciphertext, so the readers' polling loops
 * stay cheap), {@link #awaitReadable} waits in the underlying link's selector, writes are
 * serialized by the caller, {@link #close} from any thread wakes waiters, interrupts close nothing.
 *
 * <p><b>Handshake.</b> A client link is returned by {@link #connect} only after its handshake,
 * bounded by the connect timeout. A server link does its handshake lazily, inside the reading
 * thread's first {@link #tryRead}s, so it runs on the connection's own reader thread (never the
 * accept loop) and is bounded by whatever bounds that reader's wait for HELLO (the server's
 * handshake timeout closes the link). Writes before the handshake finished fail.
 *
 * <p><b>Buffers.</b> Three, each sized by the engine (about 16 KiB; the ciphertext ones twice that
 * to read and write several records per system call), allocated when first needed by the thread
 * that needs them and freed by {@link #park}: an unauthenticated peer costs them and nothing more.
 * Plaintext is decrypted straight into the reader's buffer when it has room for a whole record,
 * else into the link's own and copied.
 *
 * <p><b>Threads.</b> The reading thread owns the inbound buffers. Wrapping (the writer's records,
 * and handshake or post-handshake messages the reader must answer, such as a key update) happens
 * under {@link #writeLock}; the reader never waits for that lock after the handshake (a writer
 * blocked on a peer that does not read would block it, and the peer may be waiting for us to read:
 * a deadlock), it leaves the answer to the next writer, which the engine emits before any data.
 * The engine's delegated tasks (key agreement, certificate checks) run inline on the thread that
 * meets them: they are short CPU work, and handing them to another thread would cost a wake-up
 * each, more than the work. (Certificate revocation checking, off by default in the JDK, would
 * make them fetch from the network; then the handshake timeout bounds them.)
 *
 * <p>End of stream without TLS's close_notify is reported as an ordinary end of stream: the frame
 * reader above still detects a frame cut in the middle, and a peer that can cut the connection can
 * close it anyway. {@link #close} sends close_notify when no write is in progress and the socket
 * has room, never waiting.
 */
final class TlsLink implements Link {
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final Link net;
  private final WritableByteChannel raw; // the same socket, for the close_notify that never waits
  private final SSLEngine engine;
  private final String host; // client: the host whose name the certificate must carry
  private final boolean verifyHostname;
  private final Transports.TlsFailureSink failures; // server only (told once), else null

  // Owned by the reading thread.
  private ByteBuffer netIn; // ciphertext received, write mode (position = bytes held)
  private ByteBuffer appIn; // plaintext decrypted and not yet taken, read mode
  private boolean netInMayHoldRecord; // unwrapping stopped for lack of room, not of bytes
  private boolean inboundDone; // close_notify received
  private boolean begun;
  /** The handshake waits for the peer's next bytes, with nothing of its own to do (reader only). */
  private boolean waitingForPeer;
  private boolean bytesSeen;
  /** The session's record sizes, read once the handshake is done (reading them takes a lock). */
  private volatile int packetBytes;
  private volatile int appBytes;

  private final ReentrantLock writeLock = new ReentrantLock();
  private ByteBuffer netOut; // guarded by writeLock
  /** The reader must answer the peer (post-handshake) but a writer held the lock. */
  private volatile boolean answerOwed;

  private volatile boolean handshakeDone;
  private volatile String peerPrincipal;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean failureReported = new AtomicBoolean();

  private TlsLink(Link net, WritableByteChannel raw, SSLEngine engine, String host,
      boolean verifyHostname, Transports.TlsFailureSink failures) {
    this.net = net;
    this.raw = raw;
    this.engine = engine;
    this.host = host;
    this.verifyHostname = verifyHostname;
    this.failures = failures;
  }

  /**
   * The server end of an accepted connection; its handshake happens in the reader's first reads.
   * Cheap: creates the engine, no buffers, no I/O.
   */
  static TlsLink server(Link net, WritableByteChannel raw, TlsConfig config,
      Transports.TlsFailureSink failures) {
    SSLEngine engine = config.context().createSSLEngine();
    engine.setUseClientMode(false);
    engine.setEnabledProtocols(new String[] {TlsConfig.PROTOCOL});
    engine.setNeedClientAuth(config.requireClientCertificate());
    return new TlsLink(net, raw, engine, null, false, failures);
  }

  /**
   * The client end over {@code net}, connected to {@code host}:{@code port}: performs the
   * handshake, waiting at most {@code timeoutNanos}, and closes {@code net} if it fails.
   *
   * @throws TlsException when the server is not trusted, names another host, wants a client
   *     certificate or does not speak TLS
   * @throws IOException when the connection fails or the handshake does not finish in time
   */
  static TlsLink connect(Link net, WritableByteChannel raw, TlsConfig config, String host,
      int port, long timeoutNanos) throws IOException {
    TlsLink link;
    try {
      SSLEngine engine = config.context().createSSLEngine(host, port);
      engine.setUseClientMode(true);
      engine.setEnabledProtocols(new String[] {TlsConfig.PROTOCOL});
      var params = engine.getSSLParameters();
      if (config.verifyHostname()) {
        params.setEndpointIdentificationAlgorithm("HTTPS"); // and SNI from the host, by the JDK
      }
      engine.setSSLParameters(params);
      link = new TlsLink(net, raw, engine, host, config.verifyHostname(), null);
    } catch (RuntimeException e) {
      net.close();
      throw e;
    }
    try {
      link.handshake(timeoutNanos);
      return link;
    } catch (IOException | RuntimeException e) {
      link.close();
      throw e;
    }
  }

  /** Drives the handshake to its end, waiting in the link's selector, bounded. */
  private void handshake(long timeoutNanos) throws IOException {
    long deadline = Clock.system().nanoTime() + timeoutNanos;
    while (!advanceHandshake()) {
      if (inboundDone) {
        throw new IOException("server " + net.peer() + " closed the connection during the TLS "
            + "handshake");
      }
      long left = deadline - Clock.system().nanoTime();
      if (left <= 0) {
        throw new IOException("TLS handshake with " + net.peer() + " did not finish within "
            + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedIOException("interrupted during the TLS handshake with "
            + net.peer());
      }
      net.awaitReadable(left);
    }
  }

  /**
   * Advances the handshake as far as it goes without blocking. Returns true once it is done;
   * false when it waits for the peer (or the peer left: {@link #inboundDone}).
   */
  private boolean advanceHandshake() throws IOException {
    waitingForPeer = false;
    try {
      if (!begun) {
        begun = true;
        engine.beginHandshake();
      }
      while (true) {
        switch (engine.getHandshakeStatus()) {
          case NEED_TASK -> runTasks();
          case NEED_WRAP -> {
            writeLock.lock(); // nobody else writes before the handshake is done
            try {
              wrapAndSend(EMPTY);
            } finally {
              writeLock.unlock();
            }
          }
          case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
            if (!unwrapHandshake()) {
              waitingForPeer = !inboundDone; // all sent, all read: only the peer's bytes move it
              return false;
            }
          }
          default -> { // NOT_HANDSHAKING, FINISHED
            finishHandshake();
            return true;
          }
        }
      }
    } catch (SSLException e) {
      throw failed(e);
    } catch (IOException e) {
      reportFailure("connection lost during the TLS handshake: " + e.getMessage());
      throw e;
    }
  }

  /** One handshake record in; false when more bytes are needed and none are here. */
  private boolean unwrapHandshake() throws IOException {
    ByteBuffer in = netIn();
    ByteBuffer out = appInForUnwrap();
    in.flip();
    SSLEngineResult r;
    try {
      r = engine.unwrap(in, out);
    } finally {
      in.compact();
      out.flip();
    }
    switch (r.getStatus()) {
      case BUFFER_UNDERFLOW -> {
        growIfFull();
        int n = net.tryRead(netIn);
        if (n < 0) {
          inboundDone = true;
          if (bytesSeen) {
            reportFailure("the peer closed the connection during the TLS handshake");
          } else {
            failureReported.set(true); // connected and left without a word: not an attempt
          }
          return false;
        }
        bytesSeen |= n > 0;
        return n > 0;
      }
      case CLOSED -> {
        inboundDone = true;
        reportFailure("the peer closed TLS during the handshake");
        return false;
      }
      default -> {
        return true; // OK (BUFFER_OVERFLOW cannot happen: appIn is empty and engine-sized)
      }
    }
  }

  private void finishHandshake() {
    String name = null;
    try {
      name = engine.getSession().getPeerPrincipal().getName();
    } catch (SSLPeerUnverifiedException e) {
      // no client certificate: no principal
    }
    peerPrincipal = name;
    packetBytes = engine.getSession().getPacketBufferSize();
    appBytes = engine.getSession().getApplicationBufferSize();
    netInMayHoldRecord = netIn != null && netIn.position() > 0; // data right behind the handshake
    handshakeDone = true;
    failureReported.set(true);
  }

  private void runTasks() {
    Runnable task;
    while ((task = engine.getDelegatedTask()) != null) {
      task.run(); // inline: short CPU work, see the class comment
    }
  }

  @Override
  public int tryRead(ByteBuffer dst) throws IOException {
    if (appIn != null && appIn.hasRemaining()) {
      return take(dst);
    }
    if (!handshakeDone) {
      if (!advanceHandshake()) {
        return inboundDone ? -1 : 0;
      }
    }
    if (answerOwed) {
      answerIfFree();
    }
    try {
      if (netInMayHoldRecord) {
        int n = unwrapInto(dst);
        if (n != 0) {
          return n;
        }
      }
      if (inboundDone) {
        return -1;
      }
      netIn();
      growIfFull();
      int read = net.tryRead(netIn);
      if (read < 0) {
        inboundDone = true; // without close_notify: an ordinary end, see the class comment
        return -1;
      }
      if (read == 0) {
        return 0;
      }
      return unwrapInto(dst);
    } catch (SSLException e) {
      throw failed(e);
    }
  }

  /**
   * Decrypts the whole records in {@code netIn}: straight into {@code dst} while it has room for a
   * record, else into {@code appIn}. Returns the bytes put into {@code dst}, or -1 when the peer
   * closed TLS and nothing is left.
   */
  private int unwrapInto(ByteBuffer dst) throws IOException {
    int put = 0;
    int recordRoom = appBytes();
    netInMayHoldRecord = false;
    ByteBuffer in = netIn;
    in.flip();
    try {
      while (in.hasRemaining()) {
        boolean direct = dst.remaining() >= recordRoom;
        if (!direct && appIn != null && appIn.hasRemaining()) {
          netInMayHoldRecord = true; // deliver what is decrypted first
          break;
        }
        ByteBuffer out = direct ? dst : appInForUnwrap();
        SSLEngineResult r;
        try {
          r = engine.unwrap(in, out);
        } finally {
          if (!direct) {
            out.flip();
          }
        }
        if (direct) {
          put += r.bytesProduced();
        }
        SSLEngineResult.HandshakeStatus hs = r.getHandshakeStatus();
        if (hs == SSLEngineResult.HandshakeStatus.NEED_TASK) {
          runTasks();
          hs = engine.getHandshakeStatus();
        }
        if (hs == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
          answerOwed = true; // a post-handshake answer (key update): see answerIfFree
        }
        if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
          inboundDone = true;
          break;
        }
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
            || (r.bytesConsumed() == 0 && r.bytesProduced() == 0
                && r.getStatus() == SSLEngineResult.Status.OK)) {
          break; // a record still arriving (or nothing the engine can take now)
        }
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
          if (direct) {
            recordRoom = Integer.MAX_VALUE; // use appIn for this one
          } else {
            appIn = ByteBuffer.allocate(2 * appBytes()).flip();
          }
        }
      }
    } finally {
      in.compact();
    }
    if (answerOwed) {
      answerIfFree();
    }
    if (put == 0 && appIn != null && appIn.hasRemaining()) {
      put = take(dst);
    }
    return put == 0 && inboundDone ? -1 : put;
  }

  /** Copies decrypted bytes from {@code appIn} into {@code dst}. */
  private int take(ByteBuffer dst) {
    int n = Math.min(dst.remaining(), appIn.remaining());
    if (n == appIn.remaining()) {
      dst.put(appIn);
    } else {
      ByteBuffer slice = appIn.slice(appIn.position(), n);
      dst.put(slice);
      appIn.position(appIn.position() + n);
    }
    return n;
  }

  private int packetBytes() {
    int n = packetBytes;
    return n > 0 ? n : engine.getSession().getPacketBufferSize();
  }

  private int appBytes() {
    int n = appBytes;
    return n > 0 ? n : engine.getSession().getApplicationBufferSize();
  }

  private ByteBuffer netIn() {
    if (netIn == null) {
      netIn = ByteBuffer.allocate(2 * packetBytes());
    }
    return netIn;
  }

  /** A whole record must fit in {@code netIn} (the session's sizes may grow in the handshake). */
  private void growIfFull() {
    if (netIn.remaining() >= packetBytes) {
      return; // the common case, read without a lock
    }
    int packet = packetBytes();
    if (netIn.remaining() < packet && netIn.capacity() < 2 * packet) {
      ByteBuffer bigger = ByteBuffer.allocate(2 * packet);
      netIn.flip();
      bigger.put(netIn);
      netIn = bigger;
    }
  }

  /** {@code appIn} emptied and in write mode, for an unwrap (the caller flips it back). */
  private ByteBuffer appInForUnwrap() {
    int size = appBytes();
    if (appIn == null || appIn.capacity() < size) {
      appIn = ByteBuffer.allocate(size);
    } else {
      appIn.clear();
    }
    return appIn;
  }

  /**
   * Sends what the engine wants to answer after the handshake if no writer is busy; otherwise the
   * writer does it when it lets go (see {@link #write}): the reader never waits for a writer.
   */
  private void answerIfFree() throws IOException {
    while (answerOwed && writeLock.tryLock()) {
      try {
        answerOwed = false;
        if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
          wrapAndSend(EMPTY);
        }
      } finally {
        writeLock.unlock();
      }
    }
  }

  @Override
  public boolean awaitReadable(long timeoutNanos) throws IOException {
    if ((appIn != null && appIn.hasRemaining()) || netInMayHoldRecord) {
      return true;
    }
    return net.awaitReadable(timeoutNanos);
  }

  @Override
  public void wakeupReader() {
    net.wakeupReader();
  }

  /**
   * Parks only with nothing buffered: decrypted bytes or a record in part would otherwise wait
   * unseen, since the parker's selector sees only the socket. Returns null otherwise (the reader
   * stays). Frees the inbound buffers, and the outbound one if no writer holds it.
   */
  @Override
  public SelectableChannel park() {
    if (!handshakeDone || !nothingBuffered()) {
      return null;
    }
    SelectableChannel ch = net.park();
    if (ch != null) {
      appIn = null;
      netIn = null;
      if (writeLock.tryLock()) {
        try {
          netOut = null;
        } finally {
          writeLock.unlock();
        }
      }
    }
    return ch;
  }

  /**
   * The socket itself whenever the parker's selector, which sees only the socket, would see
   * everything that moves this link on: before anything was read (the server's side, right after
   * accept, when the client's first TLS record has not arrived), so a peer that connects and says
   * nothing holds no thread; in the middle of the TLS handshake while it waits for the peer's
   * next bytes (everything to send is sent and every whole record read; a record in part stays in
   * the inbound buffer for whoever reads next), so a peer that stops there holds none either; and
   * after it with nothing buffered. Null otherwise: the state would wait unseen.
   */
  @Override
  public SelectableChannel watchable() {
    if (!begun) {
      return net.watchable();
    }
    if (!handshakeDone) {
      return waitingForPeer ? net.watchable() : null;
    }
    return nothingBuffered() ? net.watchable() : null;
  }

  /** No decrypted bytes, no record (or part of one) and no post-handshake answer wait here. */
  private boolean nothingBuffered() {
    return (appIn == null || !appIn.hasRemaining()) && !netInMayHoldRecord
        && (netIn == null || netIn.position() == 0) && !answerOwed;
  }

  /** Room in the socket beneath: {@link #write} leaves nothing of its own buffered. */
  @Override
  public boolean awaitWritable(long timeoutNanos) throws IOException {
    return net.awaitWritable(timeoutNanos);
  }

  /**
   * Encrypts and writes all of {@code src}: as many records as fit the outbound buffer per system
   * call.
   *
   * @throws IOException when the handshake has not finished, the link is closed, or TLS fails
   */
  @Override
  public void write(ByteBuffer src) throws IOException {
    if (!handshakeDone) {
      throw new IOException("TLS handshake with " + net.peer() + " has not finished");
    }
    writeLock.lock();
    try {
      answerOwed = false; // the engine sends a pending post-handshake answer before the data
      do {
        if (wrapAndSend(src) == 0 && src.hasRemaining()) {
          throw new IOException("TLS with " + net.peer() + " can send nothing more");
        }
      } while (src.hasRemaining());
    } catch (SSLException e) {
      throw failed(e);
    } finally {
      writeLock.unlock();
    }
    if (answerOwed) {
      answerIfFree(); // the reader asked while this thread held the lock
    }
  }

  /**
   * Wraps records from {@code src} (maybe none: handshake data) into netOut and writes them.
   * Returns the bytes written.
   */
  private int wrapAndSend(ByteBuffer src) throws IOException {
    int packet = packetBytes();
    boolean handshaking = !src.hasRemaining();
    if (netOut == null || netOut.capacity() < packet) {
      netOut = ByteBuffer.allocate(src.remaining() > packet ? 2 * packet : packet);
    } else if (src.remaining() > packet && netOut.capacity() < 2 * packet) {
      netOut = ByteBuffer.allocate(2 * packet); // bulk data: two records per system call
    }
    netOut.clear();
    SSLEngineResult r;
    do {
      r = engine.wrap(src, netOut);
      if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
        if (netOut.position() > 0) {
          break; // our close_notify or an alert: send it
        }
        throw new ClosedChannelException();
      }
      if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
        if (netOut.position() > 0) {
          break;
        }
        netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize() * 2);
        packet = engine.getSession().getPacketBufferSize();
        continue;
      }
      if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
        runTasks();
      }
      if (r.bytesProduced() == 0) {
        break;
      }
    } while ((handshaking ? r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP
        : src.hasRemaining()) && netOut.remaining() >= packet);
    netOut.flip();
    int n = netOut.remaining();
    if (n > 0) {
      net.write(netOut);
    }
    return n;
  }

  /**
   * The engine failed: sends the alert it prepared (so the peer learns why, for example that a
   * client certificate is required), once, without waiting, then describes the failure.
   */
  private IOException failed(SSLException e) {
    if (writeLock.tryLock()) {
      try {
        ByteBuffer out = ByteBuffer.allocate(packetBytes());
        engine.wrap(EMPTY, out);
        out.flip();
        if (out.hasRemaining()) {
          raw.write(out); // non-blocking; an alert is small and the socket has room
        }
      } catch (IOException | RuntimeException ignored) {
        // the peer will see the connection end instead
      } finally {
        writeLock.unlock();
      }
    }
    if (failures == null) {
      return TlsErrors.client(e, net.peer(), host, verifyHostname);
    }
    String why = TlsErrors.server(e);
    if (!handshakeDone) {
      reportFailure(why);
    }
    return new TlsException("TLS with " + net.peer() + " failed: " + why, e);
  }

  private void reportFailure(String why) {
    if (failures != null && failureReported.compareAndSet(false, true)) {
      failures.handshakeFailed(net.peer(), why);
    }
  }

  @Override
  public void writeStallNanos(long nanos) {
    net.writeStallNanos(nanos);
  }

  @Override
  public String peer() {
    return net.peer();
  }

  /** The subject of the peer's verified certificate (mutual TLS), else null. */
  @Override
  public String tlsPeerPrincipal() {
    return peerPrincipal;
  }

  /** Sends close_notify (as {@link #close} does), then ends the socket's sending side. */
  @Override
  public boolean shutdownOutput() {
    if (closed.get() || !handshakeDone || !writeLock.tryLock()) {
      return false;
    }
    try {
      sendCloseNotify();
      return net.shutdownOutput();
    } catch (IOException | RuntimeException e) {
      return false;
    } finally {
      writeLock.unlock();
    }
  }

  /** One non-blocking attempt to write close_notify; what does not fit is dropped. */
  private void sendCloseNotify() throws IOException {
    engine.closeOutbound();
    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    engine.wrap(EMPTY, out);
    out.flip();
    raw.write(out);
  }

  /**
   * Idempotent, from any thread, never waits: sends close_notify if the handshake is done and no
   * write is in progress (one non-blocking attempt), then closes the underlying link. A server
   * link closed before its handshake finished (the handshake timeout) counts as a failure.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (!handshakeDone) {
      reportFailure(bytesSeen ? "the TLS handshake did not finish in time"
          : "no TLS handshake within the handshake timeout");
    } else if (writeLock.tryLock()) {
      try {
        sendCloseNotify();
      } catch (IOException | RuntimeException e) {
        // best effort: the connection ends either way
      } finally {
        writeLock.unlock();
      }
    }
    net.close();
  }

  @Override
  public String toString() {
    return "TlsLink[" + net.peer() + "]";
  }
}
