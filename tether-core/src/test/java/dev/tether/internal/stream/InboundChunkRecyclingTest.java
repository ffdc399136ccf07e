package dev.tether.internal.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.CallCancelledException;
import dev.tether.fixtures.WriteOnlyLink;
import dev.tether.internal.wire.ChunkBuffers;
import dev.tether.internal.wire.FrameWriter;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** A chunk's direct buffer goes back to the connection's pool once read, or once discarded. */
class InboundChunkRecyclingTest {
  /** Drops everything written (credits, resets). */
  static final class NullLink extends WriteOnlyLink {
    NullLink() {
      super("null");
    }

    @Override
    public void write(ByteBuffer src) {
      src.position(src.limit());
    }
  }

  private final StreamTable table = new StreamTable(new FrameWriter(new NullLink(), e -> {}),
      e -> {}, () -> 16 << 20, StreamLimits.DEFAULT_WINDOW_BYTES, 0);
  private final ChunkBuffers pool = table.chunkBuffers();

  private ByteBuffer chunk(int n, byte fill) {
    ByteBuffer b = pool.take(n + 8);
    b.position(8);
    while (b.hasRemaining()) {
      b.put(fill);
    }
    return b.position(8);
  }

  private InboundStream open(int callId) {
    return table.openInbound(callId, 0, "result of test", null,
        CallCancelledException.Outcome.FORCED);
  }

  @Test
  void aChunkReadToItsEndGoesBackToThePool() throws Exception {
    InboundStream in = open(1);
    table.onData(1, 0, false, chunk(1000, (byte) 3));
    byte[] b = new byte[600];
    assertThat(in.read(b, 0, 600)).isEqualTo(600);
    assertThat(pool.idle()).as("still being read").isZero();
    assertThat(in.read(b, 0, 600)).isEqualTo(400);
    assertThat(b[399]).isEqualTo((byte) 3);
    assertThat(pool.idle()).isEqualTo(1);
  }

  @Test
  void chunksDiscardedByAnEarlyCloseGoBackToThePool() throws Exception {
    InboundStream in = open(2);
    table.onData(2, 0, false, chunk(1000, (byte) 1));
    table.onData(2, 0, false, chunk(1000, (byte) 2));
    assertThat(in.read(new byte[10], 0, 10)).isEqualTo(10);
    in.close();
    assertThat(pool.idle()).isEqualTo(2);
  }

  @Test
  void aChunkForAStreamNobodyReadsAnyMoreGoesBackAtOnce() throws Exception {
    open(1);
    table.onData(99, 0, false, chunk(1000, (byte) 1));
    assertThat(pool.idle()).isEqualTo(1);
  }

  @Test
  void aConnectionWithNothingComingInKeepsNoChunkBuffers() throws Exception {
    InboundStream in = open(5);
    table.onData(5, 0, false, chunk(1000, (byte) 1));
    table.onData(5, 0, false, chunk(1000, (byte) 1));
    in.read(new byte[1000], 0, 1000);
    assertThat(pool.idle()).isEqualTo(1);
    table.onData(5, 0, true, chunk(0, (byte) 1)); // the end: the stream leaves the table
    assertThat(pool.idle()).isZero();
    assertThat(in.read(new byte[1000], 0, 1000)).isEqualTo(1000);
    assertThat(in.read()).isEqualTo(-1);
    assertThat(pool.idle()).as("read after its stream left").isZero();
  }

  @Test
  void aChunkArrivingAfterTheReaderGaveUpGoesBackAtOnce() throws Exception {
    InboundStream in = open(3);
    in.close(); // the stream waits in the table for the sender's answer, discarding
    table.onData(3, 0, false, chunk(1000, (byte) 1));
    assertThat(pool.idle()).isEqualTo(1);
  }

  @Test
  void bytesFromAnArrayAndFromABufferReadTheSame() throws Exception {
    InboundStream in = open(4);
    table.onData(4, 0, false, new byte[] {9, 9, 1, 2, 3}, 2);
    table.onData(4, 0, true, chunk(2, (byte) 4));
    byte[] b = new byte[10];
    assertThat(in.readNBytes(b, 0, 10)).isEqualTo(5);
    assertThat(b).startsWith(1, 2, 3, 4, 4);
    assertThat(in.read()).isEqualTo(-1);
  }
}
