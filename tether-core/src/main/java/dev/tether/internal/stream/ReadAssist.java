package dev.tether.internal.stream;

/**
 * Lets the thread that reads an {@link InboundStream} read the connection itself while it waits
 * for data, instead of waiting for another thread to read the chunk and wake it (the client's
 * result streams: see the client's {@code ConsumerReads}; the server's argument streams: see the
 * server's {@code ArgumentReads}). A table without one hands every chunk over from the
 * connection's reader thread.
 *
 * <p>Implementations are thread-safe; none of the methods is called with the stream's lock held.
 */
public interface ReadAssist {
  /** {@link #readFor} read the connection, or gave up reading it: look at the stream again. */
  int READ = 0;

  /**
   * Somebody else reads the connection, and the stream is registered to be woken when the
   * connection is free to read ({@link InboundStream#nudge}): wait until the stream changes, then
   * call {@link #stopWaiting}.
   */
  int WAIT = 1;

  /**
   * Reads the connection on the calling thread, if nobody else does, until {@code stream} changes
   * after {@code seen} ({@link InboundStream#changedSince}), the thread is interrupted, or the
   * connection ends; every frame read goes to its owner as usual. Bounded: it returns on the
   * stream's change, which a cancel, close or failure of the stream brings ({@link #wake}).
   *
   * @return {@link #READ} or {@link #WAIT}
   */
  int readFor(InboundStream stream, int seen);

  /** {@code stream}'s reader no longer waits (after {@link #WAIT}). */
  void stopWaiting(InboundStream stream);

  /** {@code stream} changed on another thread (failed, closed): its reader must look again. */
  void wake(InboundStream stream);
}
