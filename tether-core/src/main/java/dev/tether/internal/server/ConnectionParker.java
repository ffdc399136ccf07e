package dev.tether.internal.server;

import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Watches idle connections so that they hold no thread: a connection's reader that has seen no
 * frame for a while and owes nothing {@link #park parks} its channel here and ends; this one
 * thread ({@code tether-server-parker}, started on the first park) waits in one selector for all
 * of them and, when a parked connection becomes readable (a frame, or its end), stops watching it
 * and {@link ServerConnection#resume resumes} it, which starts a reader thread again. Active
 * connections never pass through here: their readers keep reading inline.
 *
 * <p>Thread-safe. Registration does not block (JDK 11+ selectors), and readiness is level
 * triggered, so bytes that arrive while a connection parks are never missed.
 */
final class ConnectionParker {
  private static final System.Logger LOG = System.getLogger("dev.tether.server");

  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Selector selector;

  /**
   * Watches {@code channel} for {@code connection}; false when it cannot (this parker is closed,
   * or no selector could be opened), and then the caller keeps reading itself.
   */
  boolean park(ServerConnection connection, SelectableChannel channel) {
    Selector s = selectorOrNull();
    if (s == null) {
      return false;
    }
    try {
      SelectionKey key = channel.keyFor(s);
      if (key == null) {
        channel.register(s, SelectionKey.OP_READ, connection);
      } else {
        key.interestOps(SelectionKey.OP_READ);
      }
    } catch (ClosedChannelException | CancelledKeyException | ClosedSelectorException
        | IllegalArgumentException e) {
      return false;
    }
    s.wakeup(); // so that a registration made while it selects takes effect now
    return true;
  }

  /** Lets a closed connection's descriptor go at once (the selector releases it). */
  void wakeup() {
    Selector s = selector;
    if (s != null) {
      s.wakeup();
    }
  }

  private Selector selectorOrNull() {
    if (closed.get()) {
      return null;
    }
    if (!started.get() && started.compareAndSet(false, true)) {
      try {
        selector = Selector.open();
        Thread.ofPlatform().daemon().name("tether-server-parker").start(this::run);
      } catch (IOException | RuntimeException | OutOfMemoryError e) {
        LOG.log(System.Logger.Level.WARNING, "idle connections keep their threads: " + e);
        close();
        return null;
      }
    }
    Selector s;
    while ((s = selector) == null && !closed.get()) {
      Thread.onSpinWait(); // the thread that won the start publishes it in a moment
    }
    return closed.get() ? null : s;
  }

  private void run() {
    Selector s = selector;
    try {
      while (!closed.get()) {
        s.select(1000);
        for (SelectionKey key : s.selectedKeys()) {
          ServerConnection c = (ServerConnection) key.attachment();
          try {
            key.interestOps(0);
          } catch (CancelledKeyException e) {
            continue; // closed meanwhile
          }
          c.resume();
        }
        s.selectedKeys().clear();
      }
    } catch (IOException | ClosedSelectorException e) {
      if (!closed.get()) {
        LOG.log(System.Logger.Level.ERROR, "the watcher of idle connections failed: " + e);
      }
    } finally {
      if (closed.compareAndSet(false, true)) { // failed: parked connections read for themselves
        try {
          for (SelectionKey key : s.keys()) {
            ((ServerConnection) key.attachment()).resume();
          }
        } catch (ClosedSelectorException ignored) {
          // nothing left to resume
        }
      }
      closeSelector();
    }
  }

  /** Stops watching; parked connections are closed by the server itself. Idempotent. */
  void close() {
    if (closed.compareAndSet(false, true)) {
      closeSelector();
    }
  }

  private void closeSelector() {
    Selector s = selector;
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // nothing more to release
      }
    }
  }
}
