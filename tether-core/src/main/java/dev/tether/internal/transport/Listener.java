package dev.tether.internal.transport;

import java.io.Closeable;
import java.io.IOException;

/** Accepts incoming links on a bound address. Closing it unblocks {@link #accept()}. */
public interface Listener extends Closeable {
  /** Waits for the next peer. Throws after {@link #close()}. */
  Link accept() throws IOException;

  /** The address peers connect to, in {@link Endpoint} form. */
  Endpoint endpoint();

  /** Stops accepting and releases the address (deleting a socket file). Never throws. */
  @Override
  void close();
}
