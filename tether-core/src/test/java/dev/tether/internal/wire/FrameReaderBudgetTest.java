package dev.tether.internal.wire;

import static dev.tether.internal.wire.PingFrames.ping;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.wire.PingFrames.Pings;
import dev.tether.internal.transport.Link;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The reader allocates a frame body only within its budget, and never a large one pre-HELLO. */
class FrameReaderBudgetTest {
  /** A link whose incoming bytes the test appends; writes are dropped. */
  static class FakeLink implements Link {
    private final ByteBuffer in = ByteBuffer.allocate(4 << 20).flip();
    private boolean ended;

    void feed(byte[] bytes) {
      in.compact().put(bytes).flip();
    }

    /** The peer closes: once what was fed is read, reads see the end of the stream. */
    void end() {
      ended = true;
    }

    @Override
    public int tryRead(ByteBuffer dst) {
      if (ended && !in.hasRemaining()) {
        return -1;
      }
      int n = Math.min(dst.remaining(), in.remaining());
      ByteBuffer slice = in.slice().limit(n);
      dst.put(slice);
      in.position(in.position() + n);
      return n;
    }

    @Override
    public boolean awaitReadable(long timeoutNanos) {
      return in.hasRemaining();
    }

    @Override
    public void wakeupReader() {}

    @Override
    public void write(ByteBuffer src) {
      src.position(src.limit());
    }

    @Override
    public String peer() {
      return "fake";
    }

    @Override
    public void close() {}
  }

  /** The first bytes of a frame announcing {@code length} bytes (kind PING). */
  private static byte[] header(int length) {
    return ByteBuffer.allocate(10).putInt(length).put((byte) FrameKind.PING).put((byte) 0)
        .putInt(0).array();
  }

  @Test
  void aLargeFrameBeforeTheHandshakeIsRefusedBeforeAnythingIsAllocated() {
    FakeLink link = new FakeLink();
    ByteBudget server = ByteBudget.root(64 << 20);
    FrameReader reader = new FrameReader(link, 16 << 20, server.child(32 << 20),
        FrameKind.MAX_HANDSHAKE_FRAME_BYTES);
    link.feed(header(16 << 20));
    assertThatThrownBy(() -> reader.poll(new Pings(), 0))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("before the handshake");
    assertThat(server.used()).isZero();
  }

  @Test
  void aLargeFrameWaitsForTheBudgetInsteadOfBeingAllocated() throws Exception {
    FakeLink link = new FakeLink();
    ByteBudget server = ByteBudget.root(1 << 20);
    ByteBudget connection = server.child(1 << 20);
    FrameReader reader = new FrameReader(link, 1 << 20, connection, 0);
    assertThat(server.tryAcquire(700_000)).isTrue(); // another connection's frame
    int length = 512 * 1024;
    link.feed(header(length));
    Pings pings = new Pings();
    assertThat(reader.poll(pings, 0)).isEqualTo(FrameReader.NONE);
    assertThat(reader.poll(pings, 1_000_000)).isEqualTo(FrameReader.NONE);
    assertThat(connection.used()).isZero();
    server.release(700_000);
    assertThat(reader.poll(pings, 0)).isEqualTo(FrameReader.NONE); // admitted, body arriving
    assertThat(connection.used()).isEqualTo(length);
    reader.release(); // the connection ends mid-frame: everything is given back
    assertThat(connection.used()).isZero();
    assertThat(server.used()).isZero();
  }

  @Test
  void smallFramesNeedOnlyTheConnectionsBudgetAndAreReleasedAfterDispatch() throws Exception {
    FakeLink link = new FakeLink();
    ByteBudget server = ByteBudget.root(1 << 20);
    ByteBudget connection = server.child(1 << 20);
    FrameReader reader = new FrameReader(link, 1 << 20, connection, 0);
    assertThat(server.tryAcquire(1 << 20)).isTrue(); // large frames fill the server's budget
    link.feed(ping(42));
    Pings pings = new Pings();
    assertThat(reader.poll(pings, 0)).isEqualTo(FrameReader.FRAME);
    assertThat(pings.values).containsExactly(42L);
    assertThat(connection.used()).isZero();
    assertThat(server.used()).isEqualTo(1 << 20);
  }

  @Test
  void answersQueuedForAConnectionStopOnlyThatConnectionsReader() throws Exception {
    FakeLink link = new FakeLink();
    ByteBudget server = ByteBudget.root(1 << 20);
    ByteBudget slow = server.child(64 * 1024);
    ByteBudget other = server.child(64 * 1024);
    slow.chargeLocal(64 * 1024); // answers waiting to be written to a client that does not read
    FrameReader slowReader = new FrameReader(link, 1 << 20, slow, 0);
    link.feed(ping(1));
    assertThat(slowReader.poll(new Pings(), 0)).isEqualTo(FrameReader.NONE);
    assertThat(other.tryAcquire(1000)).isTrue();
    assertThat(server.used()).isEqualTo(1000);
    slow.releaseLocal(64 * 1024);
    assertThat(slowReader.poll(new Pings(), 0)).isEqualTo(FrameReader.FRAME);
  }

  @Test
  void aHelloLongerThanTheHandshakeLimitIsNeverSent() throws IOException {
    ByteWriter w = new ByteWriter(64);
    Frames.hello(w, FrameKind.VERSION, 1 << 20, "x".repeat(100_000));
    assertThat(w.size()).isLessThan(FrameKind.MAX_HANDSHAKE_FRAME_BYTES);
  }
}
