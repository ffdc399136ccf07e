package dev.tether.internal.client;

import dev.tether.ErrorCode;
import dev.tether.TetherOptions;
import dev.tether.internal.cancel.Timers;
import dev.tether.internal.transport.Link;
import dev.tether.internal.wire.FrameHandler;
import dev.tether.internal.wire.FrameKind;
import dev.tether.internal.wire.FrameReader;
import dev.tether.internal.wire.FrameWriter;
import dev.tether.internal.wire.Frames;
import dev.tether.internal.wire.ProtocolException;
import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The client's side of the HELLO exchange, bounded by the handshake timeout (the link is closed
 * when it runs out). Refuses a peer that is not a Tether server or speaks no common version.
 */
final class ClientHandshake {
  /** What the server said about itself. */
  record Result(int maxFrameBytes, String peer) {}

  /** Who this side is, sent in HELLO for the server's messages. */
  private static final String DESCRIPTION = "client pid " + ProcessHandle.current().pid();

  private ClientHandshake() {}

  static Result perform(Link link, FrameReader reader, FrameWriter writer,
      TetherOptions options) throws IOException, ProtocolException {
    AtomicBoolean timedOut = new AtomicBoolean();
    ScheduledFuture<?> timeout = Timers.schedule(() -> {
      timedOut.set(true);
      link.close();
    }, options.connectTimeout().toNanos());
    try {
      writer.write(w -> Frames.hello(w, FrameKind.VERSION, options.maxFrameBytes(), DESCRIPTION));
      Result[] result = new Result[1];
      FrameHandler hello = new FrameHandler() {
        @Override
        public void hello(int version, int maxFrameBytes, String who) throws ProtocolException {
          if (version < FrameKind.MIN_VERSION || version > FrameKind.VERSION) {
            throw new ProtocolException("server speaks protocol version " + version
                + "; this client speaks " + FrameKind.MIN_VERSION + ".." + FrameKind.VERSION);
          }
          result[0] = new Result(maxFrameBytes, who + " at " + link.peer());
        }

        @Override
        public void goAway(ErrorCode code, String message) throws ProtocolException {
          throw new ProtocolException("server refused the connection: " + code + ": " + message);
        }
      };
      try {
        if (!reader.next(hello) || result[0] == null) {
          throw new IOException("server closed the connection during the handshake");
        }
        return result[0];
      } catch (IOException e) {
        if (timedOut.get()) {
          throw new IOException("no handshake from " + link.peer() + " within "
              + options.connectTimeout(), e);
        }
        throw e;
      }
    } finally {
      timeout.cancel(false);
    }
  }
}
