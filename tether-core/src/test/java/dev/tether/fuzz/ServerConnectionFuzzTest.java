package dev.tether.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tether.CancelScope;
import dev.tether.ErrorCode;
import dev.tether.Tether;
import dev.tether.TetherServer;
import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.transport.Link;
import dev.tether.internal.transport.Transports;
import dev.tether.internal.wire.FrameHandler;
import dev.tether.internal.wire.FrameKind;
import dev.tether.internal.wire.FrameReader;
import dev.tether.internal.wire.Frames;
import dev.tether.internal.wire.ProtocolException;
import dev.tether.internal.wire.RemoteError;
import dev.tether.testing.Await;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Coverage-guided fuzzing of a whole server connection. For each input: connect to an in-process
 * {@link TetherServer} (on {@code mem:}), complete the handshake, send the input's bytes (its last
 * frame completed with zeros if it was cut short, so the server is never left waiting for bytes
 * that will not come), then a PING. The server must either answer the PING (the connection stays
 * usable) or end the connection (with or without GOAWAY) within 10 s; every frame it sends must be
 * well formed; afterwards a healthy client's call succeeds and the fuzzed connection is no longer
 * counted. Corpus: {@code ServerConnectionFuzzTestInputs}, written by {@link FuzzCorpus}.
 */
class ServerConnectionFuzzTest {
  /** The server's frame limit: small, so announced lengths are cheap to complete. */
  static final int MAX_FRAME_BYTES = 64 * 1024;
  private static final long PING_NONCE = 0x5445_5448_4655_5a5aL;
  private static final long ANSWER_NANOS = TimeUnit.SECONDS.toNanos(10);

  private static TetherServer server;
  private static FuzzService healthy;

  private static synchronized void startOnce() {
    if (server == null) {
      server = TetherServer.builder()
          .export("fuzz", FuzzService.class, new FuzzServiceImpl())
          .listen("mem:fuzz-" + UUID.randomUUID())
          .maxFrameBytes(MAX_FRAME_BYTES)
          .handshakeTimeout(Duration.ofSeconds(5))
          .start();
      healthy = Tether.connect(server.address()).get(FuzzService.class, "fuzz");
      // The healthy client and the server live for the whole JVM: fuzzing runs many inputs.
    }
  }

  @FuzzTest
  void connection(byte[] input) throws Exception {
    startOnce();
    Outcome outcome;
    try (Link link = Transports.connect(Endpoint.parse(server.address()), Duration.ofSeconds(5))) {
      FrameReader reader = new FrameReader(link, 1 << 20);
      Recorder recorder = new Recorder();
      send(link, w -> Frames.hello(w, FrameKind.VERSION, MAX_FRAME_BYTES, "fuzzer"));
      assertThat(readUntil(reader, recorder, () -> recorder.hello)).isEqualTo(Outcome.ANSWERED);
      writeAll(link, completeFrames(input, MAX_FRAME_BYTES));
      send(link, w -> Frames.ping(w, false, PING_NONCE));
      outcome = readUntil(reader, recorder, () -> recorder.pong);
    }
    assertThat(outcome).as("the server neither answered PING nor ended the connection")
        .isNotEqualTo(Outcome.SILENT);
    try (CancelScope scope = CancelScope.withTimeout(Duration.ofSeconds(10))) {
      assertThat(healthy.echo(42)).isEqualTo(42);
    }
    Await.until(() -> server.stats().connections() == 1, "the fuzzed connection to be released");
  }

  /**
   * {@code input} with its last frame completed: a cut-short length field or body is padded with
   * zeros. Stops at a length outside 6..max: the server rejects that frame before reading more.
   */
  static byte[] completeFrames(byte[] input, int maxFrameBytes) {
    byte[] bytes = input;
    int pos = 0;
    while (pos < bytes.length) {
      if (bytes.length - pos < FrameKind.LENGTH_BYTES) {
        bytes = Arrays.copyOf(bytes, pos + FrameKind.LENGTH_BYTES);
      }
      int length = ByteBuffer.wrap(bytes, pos, FrameKind.LENGTH_BYTES).getInt();
      if (length < FrameKind.HEADER_BYTES || length > maxFrameBytes) {
        return bytes;
      }
      pos += FrameKind.LENGTH_BYTES + length;
      if (pos > bytes.length) {
        bytes = Arrays.copyOf(bytes, pos);
      }
    }
    return bytes;
  }

  enum Outcome { ANSWERED, CLOSED, SILENT }

  /** Reads the server's frames until {@code done} holds, the connection ends, or 10 s pass. */
  private static Outcome readUntil(FrameReader reader, Recorder recorder,
      java.util.function.BooleanSupplier done) throws IOException {
    long deadline = System.nanoTime() + ANSWER_NANOS;
    while (!done.getAsBoolean()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return Outcome.SILENT;
      }
      int r;
      try {
        r = reader.poll(recorder, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
      } catch (ProtocolException e) {
        throw new AssertionError("the server sent a malformed frame: " + e.getMessage(), e);
      } catch (IOException e) {
        return Outcome.CLOSED; // reset or closed mid-frame: ended
      }
      if (r == FrameReader.END || recorder.goAway) {
        return Outcome.CLOSED;
      }
    }
    return Outcome.ANSWERED;
  }

  private static void send(Link link, java.util.function.Consumer<ByteWriter> frame)
      throws IOException {
    ByteWriter w = new ByteWriter(64);
    frame.accept(w);
    writeAll(link, Arrays.copyOf(w.array(), w.size()));
  }

  private static void writeAll(Link link, byte[] bytes) {
    try {
      link.write(ByteBuffer.wrap(bytes));
    } catch (IOException closedByServer) {
      // the server may end the connection before reading all of it
    }
  }

  /** What the server sent; it may send any kind a server sends. */
  private static final class Recorder implements FrameHandler {
    boolean hello;
    boolean pong;
    boolean goAway;

    @Override
    public void hello(int version, int maxFrameBytes, String peer) {
      hello = true;
    }

    @Override
    public void resolved(int callId, int bindingId) {}

    @Override
    public void result(int callId, byte[] body, int offset) {}

    @Override
    public void error(int callId, RemoteError error) {
      assertThat(error.code()).isNotNull();
    }

    @Override
    public void cancelAck(int callId, String message, boolean deadline) {}

    @Override
    public void ping(long value) {}

    @Override
    public void pong(long value) {
      pong |= value == PING_NONCE;
    }

    @Override
    public void goAway(ErrorCode code, String message) {
      goAway = true;
    }

    @Override
    public void resolve(int callId, String name, String iface, List<String> signatures)
        throws ProtocolException {
      throw new ProtocolException("a server sent RESOLVE");
    }
  }
}
