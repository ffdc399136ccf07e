package dev.tether.internal.transport;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A connected, ordered, reliable byte stream to one peer. One thread reads while others write;
 * writes from several threads must be serialized by the caller. Reads never block: a reader
 * polls with {@link #tryRead} and waits with {@link #awaitReadable}. {@link #close()} from any
 * thread ends such a wait and a blocked write, which then throw. Interrupting a reading or writing
 * thread does not close the link (unlike a blocking NIO channel).
 */
public interface Link extends Closeable {
  /** A write that makes no progress for this long fails: the peer has stopped reading. */
  long WRITE_STALL_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);

  /** Reads what is available into {@code dst} without blocking: 0 if nothing, -1 at the end. */
  int tryRead(ByteBuffer dst) throws IOException;

  /**
   * Waits until bytes may be available, at most {@code timeoutNanos} ({@link Long#MAX_VALUE}: no
   * limit, and no timer armed); returns early (false) on {@link #wakeupReader()} or an interrupt
   * (whose flag stays set).
   */
  boolean awaitReadable(long timeoutNanos) throws IOException;

  /** Makes a thread blocked in {@link #awaitReadable} return. */
  void wakeupReader();

  /**
   * True when {@link #awaitReadable} returns at once whenever {@link #tryRead} would find bytes
   * (the link buffers nothing inbound of its own, as a plain socket's selector sees every byte):
   * a reader about to wait may then wait first and read once, instead of making a read that
   * finds nothing before it waits. False by default (TLS keeps decrypted bytes the selector does
   * not see), which keeps the read-first order.
   */
  default boolean waitSeesEveryByte() {
    return false;
  }

  /**
   * Prepares the link to be watched by someone else's selector while no thread reads it: releases
   * what the link keeps for its own waits (a selector and its descriptors, reopened by the next
   * {@link #awaitReadable}) and returns the channel to register for reading, or null when this
   * link cannot be watched that way. Only the reading thread may call it.
   */
  default java.nio.channels.SelectableChannel park() {
    return null;
  }

  /**
   * The channel to register for reading with someone else's selector while no thread reads yet,
   * releasing nothing (unlike {@link #park}, the link keeps its own selector, so the reader that
   * takes over needs no new descriptor); null when this link cannot be watched that way.
   */
  default java.nio.channels.SelectableChannel watchable() {
    return null;
  }

  /**
   * Waits, at most {@code timeoutNanos}, until a {@link #write} would not block: the kernel has
   * drained this link's send buffer far enough (for a Unix socket, to a quarter of it). Returns
   * false on timeout. Holds nothing a writer needs while it waits, so a thread may wait here before
   * it takes the right to write a large frame. Links that cannot tell return true at once.
   *
   * @throws IOException when the link is closed
   */
  default boolean awaitWritable(long timeoutNanos) throws IOException {
    return true;
  }

  /** Writes all remaining bytes of {@code src}, blocking as needed. */
  void write(ByteBuffer src) throws IOException;

  /**
   * Sets how long a write may make no progress before it fails and closes the link (default
   * {@link #WRITE_STALL_NANOS}). Links whose writes never block ignore it.
   */
  default void writeStallNanos(long nanos) {}

  /**
   * The subject of the certificate the peer presented and this side verified (mutual TLS), such
   * as {@code CN=client,O=Example}; null when the link is not TLS or the peer presented none.
   */
  default String tlsPeerPrincipal() {
    return null;
  }

  /** Who is at the other end, for messages. */
  String peer();

  /**
   * The credentials the kernel recorded for the peer of a Unix-domain socket when it connected
   * ({@code SO_PEERCRED}), or null when this link is not a Unix-domain socket.
   *
   * @throws IOException when the operating system does not say
   */
  default PeerCredentials unixPeer() throws IOException {
    return null;
  }

  /**
   * True unless this link is known to stay on this host: a network peer (TCP), which must
   * authenticate with TLS or a shared secret. The default is true, so a link that does not say
   * (a wrapper that forgets to delegate) is treated as the less trusted kind.
   */
  default boolean isNetwork() {
    return true;
  }

  /**
   * Ends this side's sending (TCP: a FIN after every byte written; TLS: close_notify first) while
   * reading goes on, so the peer reads everything sent, then its end of the stream. Returns false,
   * having done nothing, when the link cannot (the default) or a write is under way; the caller
   * then just closes. Never throws.
   */
  default boolean shutdownOutput() {
    return false;
  }

  /** Closes the stream; idempotent; never throws. */
  @Override
  void close();
}
