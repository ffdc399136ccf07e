package dev.tether.internal.transport;

import dev.tether.internal.time.Clock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Link} over NIO channels in non-blocking mode, blocking with a selector only when there
 * is nothing to read or no room to write.
 *
 * <p>Why not blocking channels: an interrupt of a thread blocked in (or entering) a blocking channel
 * operation closes the channel, so one caller being interrupted while sending its call would kill
 * the connection for every other caller. Non-blocking operations are not interruptible; waiting in
 * a selector only wakes up on an interrupt. A write that cannot make progress for the stall timeout
 * fails, so a peer that stops reading cannot block writers forever.
 */
final class NioLink implements Link {
  private final ReadableByteChannel in;
  private final WritableByteChannel out;
  private final AutoCloseable[] resources;
  private final String peer;
  private volatile long writeStallNanos;
  /** Null while parked (see {@link #park}); set and cleared by the reading thread only. */
  private volatile Selector readSelector;
  private final ReentrantLock writeSelectorLock = new ReentrantLock();
  private volatile Selector writeSelector; // created under writeSelectorLock
  /** Set once, by the one {@link #close} that releases the resources. */
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Wraps {@code in} and {@code out} (the same socket, or the two ends of a pipe pair), switching
   * them to non-blocking mode. {@code resources} are closed by {@link #close()}.
   */
  NioLink(ReadableByteChannel in, WritableByteChannel out, String peer, long writeStallNanos,
      AutoCloseable... resources) throws IOException {
    this.in = in;
    this.out = out;
    this.peer = peer;
    this.writeStallNanos = writeStallNanos;
    this.resources = resources;
    ((SelectableChannel) in).configureBlocking(false);
    ((SelectableChannel) out).configureBlocking(false);
    this.readSelector = openReadSelector();
  }

  private Selector openReadSelector() throws IOException {
    Selector s = Selector.open();
    try {
      ((SelectableChannel) in).register(s, SelectionKey.OP_READ);
    } catch (IOException | RuntimeException e) {
      closeQuietly(s);
      throw e;
    }
    return s;
  }

  /** The channel read from (for a socket, the socket itself). */
  SelectableChannel channel() {
    return (SelectableChannel) in;
  }

  @Override
  public SelectableChannel park() {
    Selector s = readSelector;
    readSelector = null;
    closeQuietly(s);
    return (SelectableChannel) in;
  }

  @Override
  public SelectableChannel watchable() {
    return (SelectableChannel) in;
  }

  @Override
  public int tryRead(ByteBuffer dst) throws IOException {
    return in.read(dst);
  }

  @Override
  public boolean awaitReadable(long timeoutNanos) throws IOException {
    if (closed.get()) {
      throw new ClosedChannelException();
    }
    if (Thread.currentThread().isInterrupted()) {
      return false; // the flag stays set: the caller decides what an interrupt means
    }
    Selector selector = readSelector;
    if (selector == null) { // parked before: reopen
      try {
        selector = openReadSelector();
      } catch (java.nio.channels.ClosedChannelException | java.nio.channels.CancelledKeyException e) {
        throw new ClosedChannelException();
      }
      readSelector = selector;
      if (closed.get()) {
        closeQuietly(selector); // close() ran before it was published: it missed it
        throw new ClosedChannelException();
      }
    }
    try {
      // Long.MAX_VALUE: no timeout at all, which costs less than a long one (IdleWakeups)
      int ready = timeoutNanos <= 0 ? selector.selectNow()
          : timeoutNanos == Long.MAX_VALUE ? selector.select()
          : selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
      selector.selectedKeys().clear();
      return ready > 0;
    } catch (ClosedSelectorException e) {
      throw new ClosedChannelException();
    }
  }

  @Override
  public boolean waitSeesEveryByte() {
    return true; // nothing is buffered here: the selector sees whatever a read would find
  }

  @Override
  public void wakeupReader() {
    Selector s = readSelector;
    if (s != null) {
      s.wakeup(); // when parked, nobody waits
    }
  }

  @Override
  public void write(ByteBuffer src) throws IOException {
    while (src.hasRemaining()) {
      if (out.write(src) == 0) {
        awaitWritable();
      }
    }
  }

  @Override
  public boolean awaitWritable(long timeoutNanos) throws IOException {
    writeSelectorLock.lock();
    try {
      Selector ws = writeSelector();
      int ready;
      try {
        ready = ws.selectNow();
        ws.selectedKeys().clear();
      } catch (ClosedSelectorException e) {
        throw new ClosedChannelException();
      }
      return ready > 0 || (timeoutNanos > 0 && await(ws, timeoutNanos));
    } finally {
      writeSelectorLock.unlock();
    }
  }

  /** The selector writers wait in, opened on first need. Under writeSelectorLock. */
  private Selector writeSelector() throws IOException {
    Selector ws = writeSelector;
    if (ws == null) {
      if (closed.get()) {
        throw new ClosedChannelException();
      }
      ws = Selector.open();
      ((SelectableChannel) out).register(ws, SelectionKey.OP_WRITE);
      writeSelector = ws;
      if (closed.get()) {
        closeQuietly(ws); // close() ran before the selector was published: it missed it
      }
    }
    return ws;
  }

  private void awaitWritable() throws IOException {
    writeSelectorLock.lock();
    try {
      Selector ws = writeSelector();
      long stall = writeStallNanos;
      if (!await(ws, stall)) {
        close();
        throw new IOException("peer " + peer + " has not read anything for "
            + TimeUnit.NANOSECONDS.toMillis(stall) + " ms; giving up on it");
      }
    } finally {
      writeSelectorLock.unlock();
    }
  }

  /**
   * Waits for readiness, at most {@code timeoutNanos} (0: no limit). Returns false on timeout. An
   * interrupt neither ends the wait nor is lost: the flag is set again afterwards.
   */
  private boolean await(Selector selector, long timeoutNanos) throws IOException {
    boolean interrupted = Thread.interrupted();
    long deadline = Clock.system().nanoTime() + timeoutNanos;
    try {
      while (true) {
        if (closed.get()) {
          throw new ClosedChannelException();
        }
        long millis = 0;
        if (timeoutNanos > 0) {
          long left = deadline - Clock.system().nanoTime();
          if (left <= 0) {
            return false;
          }
          millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(left));
        }
        int ready = selector.select(millis);
        selector.selectedKeys().clear();
        if (ready > 0) {
          return true;
        }
        if (Thread.interrupted()) {
          interrupted = true;
        }
      }
    } catch (ClosedSelectorException e) {
      throw new ClosedChannelException();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void writeStallNanos(long nanos) {
    if (nanos <= 0) {
      throw new IllegalArgumentException("write stall must be positive: " + nanos);
    }
    this.writeStallNanos = nanos;
  }

  @Override
  public String peer() {
    return peer;
  }

  @Override
  public PeerCredentials unixPeer() throws IOException {
    if (!(in instanceof java.nio.channels.SocketChannel ch)
        || !(ch.getLocalAddress() instanceof java.net.UnixDomainSocketAddress)) {
      return null;
    }
    jdk.net.UnixDomainPrincipal p = ch.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED);
    return new PeerCredentials(p.user().getName(), p.group().getName());
  }

  @Override
  public boolean isNetwork() {
    if (!(in instanceof java.nio.channels.SocketChannel ch)) {
      return false; // the pipes of mem: links, within this JVM
    }
    try {
      return !(ch.getLocalAddress() instanceof java.net.UnixDomainSocketAddress);
    } catch (IOException e) {
      return true; // closed: whatever it was, trust it least
    }
  }

  @Override
  public boolean shutdownOutput() {
    if (closed.get()) {
      return false;
    }
    try {
      if (out instanceof java.nio.channels.SocketChannel socket) {
        socket.shutdownOutput();
      } else {
        out.close(); // a pipe's sink: the other end reads its end of stream
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Idempotent and safe from any thread: the first caller releases everything. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (AutoCloseable c : resources) {
      try {
        c.close();
      } catch (Exception ignored) {
        // best effort: the link is unusable either way
      }
    }
    closeQuietly(readSelector);
    closeQuietly(writeSelector);
  }

  private static void closeQuietly(Selector s) {
    if (s != null) {
      try {
        s.close(); // wakes a thread blocked in select()
      } catch (IOException ignored) {
        // nothing more to do
      }
    }
  }

  @Override
  public String toString() {
    return "Link[" + peer + "]";
  }
}
