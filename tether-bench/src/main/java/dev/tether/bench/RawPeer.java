package dev.tether.bench;

import dev.tether.ErrorCode;
import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.codec.InterfaceSchema;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.transport.Link;
import dev.tether.internal.transport.Transports;
import dev.tether.internal.wire.FrameHandler;
import dev.tether.internal.wire.FrameKind;
import dev.tether.internal.wire.FrameReader;
import dev.tether.internal.wire.Frames;
import dev.tether.internal.wire.ProtocolException;
import dev.tether.internal.wire.RemoteError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;

/**
 * A hand-driven Tether peer for the attack benchmark: writes whatever frames or bytes an attack
 * wants and reads the server's frames only when asked. One thread uses it at a time, except
 * {@link #close()}, which any thread may call to end a blocked read or write.
 */
final class RawPeer implements AutoCloseable {
  private final Link link;
  private final FrameReader reader;
  private final Seen seen = new Seen();

  private RawPeer(Link link) {
    this.link = link;
    this.reader = new FrameReader(link, 64 << 20);
  }

  /** Connects to {@code address}, bounded by 10 s. */
  static RawPeer connect(String address) throws IOException {
    return new RawPeer(Transports.connect(Endpoint.parse(address), Duration.ofSeconds(10)));
  }

  /** Sends HELLO. */
  void hello() throws IOException {
    send(frame(w -> Frames.hello(w, FrameKind.VERSION, FrameKind.DEFAULT_MAX_FRAME_BYTES,
        "attack bench")));
  }

  /** Sends HELLO and RESOLVE for {@code name}, and returns the binding once RESOLVED arrives. */
  int handshakeAndResolve(String name, Class<?> iface) throws IOException, ProtocolException {
    hello();
    send(frame(w -> Frames.resolve(w, 1, name, iface.getName(),
        InterfaceSchema.of(iface).signatures(), Integer.MAX_VALUE)));
    seen.binding = -1;
    while (seen.binding < 0) {
      if (!reader.next(seen) || seen.ended) {
        throw new IOException("the server refused RESOLVE or closed: " + seen.last);
      }
    }
    return seen.binding;
  }

  /** Reads frames until a call's answer (RESULT or ERROR); false when the connection ended. */
  boolean awaitAnswer() throws IOException, ProtocolException {
    seen.answered = false;
    while (!seen.answered) {
      if (!reader.next(seen) || seen.ended) {
        return false;
      }
    }
    return true;
  }

  /** Writes {@code bytes}, blocking while the server does not read. */
  void send(byte[] bytes) throws IOException {
    link.write(ByteBuffer.wrap(bytes));
  }

  /** Builds one frame. */
  static byte[] frame(java.util.function.Consumer<ByteWriter> build) {
    ByteWriter w = new ByteWriter(64);
    build.accept(w);
    return Arrays.copyOf(w.array(), w.size());
  }

  @Override
  public void close() {
    link.close();
  }

  /** Remembers what the server sent. */
  private static final class Seen implements FrameHandler {
    volatile int binding = -1;
    boolean answered;
    boolean ended;
    String last = "nothing";

    @Override
    public void hello(int version, int maxFrameBytes, String peer) {}

    @Override
    public void resolved(int callId, int bindingId) {
      binding = bindingId;
    }

    @Override
    public void result(int callId, byte[] body, int offset) {
      answered = true;
    }

    @Override
    public void error(int callId, RemoteError error) {
      answered = true;
      last = error.code() + ": " + error.message();
    }

    @Override
    public void cancelAck(int callId, String message, boolean deadline) {
      answered = true;
    }

    @Override
    public void ping(long value) {}

    @Override
    public void pong(long value) {}

    @Override
    public void goAway(ErrorCode code, String message) {
      ended = true;
      last = "GOAWAY " + code + ": " + message;
    }
  }
}
