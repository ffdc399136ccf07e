package dev.tether.wire;

import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.transport.Link;
import java.io.IOException;
import java.util.function.Consumer;

/** Public face of {@link ScriptedPeer} for tests in other packages. */
public final class ScriptedPeerAccess implements AutoCloseable {
  private final ScriptedPeer peer;

  /** A scripted peer on {@code link}. */
  public ScriptedPeerAccess(Link link) {
    this.peer = new ScriptedPeer(link);
  }

  /** Sends HELLO. */
  public void hello() throws IOException {
    peer.hello();
  }

  /** Sends a frame built by {@code script}. */
  public void send(Consumer<ByteWriter> script) throws IOException {
    peer.send(script);
  }

  /** The next frame received, whatever its kind (at most 30 s). */
  public ScriptedPeer.Received next() throws InterruptedException {
    return peer.next();
  }

  /** The next frame of {@code kind}. */
  public ScriptedPeer.Received nextOf(int kind) throws InterruptedException {
    return peer.nextOf(kind);
  }

  @Override
  public void close() {
    peer.close();
  }
}
