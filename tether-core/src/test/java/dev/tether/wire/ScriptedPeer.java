package dev.tether.wire;

import dev.tether.ErrorCode;
import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.transport.Link;
import dev.tether.internal.wire.FrameHandler;
import dev.tether.internal.wire.FrameKind;
import dev.tether.internal.wire.FrameReader;
import dev.tether.internal.wire.Frames;
import dev.tether.internal.wire.ProtocolException;
import dev.tether.internal.wire.RemoteError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A hand-driven protocol peer for tests: writes the frames (or raw bytes) a test scripts and
 * records, on its own reader thread, every frame it receives, so a test can await them.
 */
public final class ScriptedPeer implements AutoCloseable {
  /** A frame received: its kind, call id and a short rendering of its content. */
  public record Received(int kind, int callId, String detail) {}

  /** Marks the end of the stream in the received queue. */
  static final Received EOF = new Received(-1, 0, "end of stream");

  private final Link link;
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

  ScriptedPeer(Link link) {
    this.link = link;
    Thread.ofPlatform().daemon().name("scripted-peer").start(this::readLoop);
  }

  private void readLoop() {
    FrameReader reader = new FrameReader(link, 1 << 20);
    FrameHandler recorder = new FrameHandler() {
      @Override
      public void hello(int version, int max, String peer) {
        received.add(new Received(FrameKind.HELLO, 0, "v" + version));
      }

      @Override
      public void resolve(int callId, String name, String iface, List<String> sigs) {
        received.add(new Received(FrameKind.RESOLVE, callId, name));
      }

      @Override
      public void resolved(int callId, int binding) {
        received.add(new Received(FrameKind.RESOLVED, callId, Integer.toString(binding)));
      }

      @Override
      public void call(int callId, int binding, int method, long deadline, byte[] body, int off) {
        received.add(new Received(FrameKind.CALL, callId, binding + "/" + method));
      }

      @Override
      public void result(int callId, byte[] body, int offset) {
        received.add(new Received(FrameKind.RESULT, callId, (body.length - offset) + " bytes"));
      }

      @Override
      public void error(int callId, RemoteError error) {
        received.add(new Received(FrameKind.ERROR, callId, error.code() + ": " + error.message()));
      }

      @Override
      public void cancel(int callId, boolean released, boolean deadline, long grace) {
        received.add(new Received(FrameKind.CANCEL, callId,
            (released ? "released" : "requested") + (deadline ? " deadline" : "")));
      }

      @Override
      public void cancelAck(int callId, String message, boolean deadline) {
        received.add(new Received(FrameKind.CANCEL_ACK, callId, String.valueOf(message)));
      }

      @Override
      public void ping(long value) {
        received.add(new Received(FrameKind.PING, 0, Long.toString(value)));
      }

      @Override
      public void pong(long value) {
        received.add(new Received(FrameKind.PONG, 0, Long.toString(value)));
      }

      @Override
      public void auth(int step, String keyId, byte[] value) {
        received.add(new Received(FrameKind.AUTH, step, keyId + " " + value.length + " bytes"));
      }

      @Override
      public void streamCredit(int callId, int slot, int bytes) {
        received.add(new Received(FrameKind.STREAM_CREDIT, callId, slot + ":" + bytes));
      }

      @Override
      public void streamData(int callId, int slot, boolean end, byte[] body, int offset) {
        received.add(new Received(FrameKind.STREAM_DATA, callId,
            slot + ":" + (body.length - offset) + (end ? " end" : "")));
      }

      @Override
      public void streamReset(int callId, int slot, RemoteError error) {
        received.add(new Received(FrameKind.STREAM_RESET, callId, slot + ":" + error.code()));
      }

      @Override
      public void goAway(ErrorCode code, String message) {
        received.add(new Received(FrameKind.GOAWAY, 0, code + ": " + message));
      }
    };
    try {
      while (reader.next(recorder)) {
        // recorded
      }
    } catch (IOException | ProtocolException e) {
      // recorded as EOF below
    } finally {
      received.add(EOF);
    }
  }

  /** Sends a frame built by {@code script}. */
  void send(java.util.function.Consumer<ByteWriter> script) throws IOException {
    ByteWriter w = new ByteWriter(256);
    script.accept(w);
    link.write(ByteBuffer.wrap(w.array(), 0, w.size()));
  }

  /** Sends raw bytes. */
  void sendRaw(byte[] bytes) throws IOException {
    link.write(ByteBuffer.wrap(bytes));
  }

  /** Sends HELLO. */
  void hello() throws IOException {
    send(w -> Frames.hello(w, FrameKind.VERSION, 1 << 20, "scripted peer"));
  }

  /** The next frame received, waiting at most 30 s. */
  Received next() throws InterruptedException {
    Received r = received.poll(30, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("nothing received within 30 s");
    }
    return r;
  }

  /** Skips frames until one of {@code kind} (or EOF) arrives, and returns it. */
  Received nextOf(int kind) throws InterruptedException {
    Received r;
    do {
      r = next();
    } while (r.kind() != kind && r != EOF);
    return r;
  }

  /** Waits until the peer closed the stream. */
  void awaitEof() throws InterruptedException {
    nextOf(-2);
  }

  @Override
  public void close() {
    link.close();
  }
}
