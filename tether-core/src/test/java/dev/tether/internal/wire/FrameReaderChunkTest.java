package dev.tether.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.wire.FrameReaderBudgetTest.FakeLink;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Large STREAM_DATA frames are read into the connection's direct chunk buffers. */
class FrameReaderChunkTest {
  private static final int CHUNK = 128 * 1024;

  /** One STREAM_DATA frame as it appears on the wire, its data a pattern. */
  private static byte[] data(int callId, int slot, boolean end, int n) {
    ByteWriter w = new ByteWriter(n + StreamFrames.DATA_OVERHEAD);
    StreamFrames.beginData(w, callId, slot, end);
    for (int i = 0; i < n; i++) {
      w.writeByte((byte) (i * 31 + 7));
    }
    Frames.end(w, Integer.MAX_VALUE);
    return Arrays.copyOf(w.array(), w.size());
  }

  private static byte[] pattern(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + 7);
    }
    return b;
  }

  /** Records what arrived and how. */
  static final class Chunks implements FrameHandler {
    final List<String> how = new ArrayList<>();
    final List<byte[]> bytes = new ArrayList<>();
    final List<ByteBuffer> buffers = new ArrayList<>();

    @Override
    public void streamData(int callId, int slot, boolean end, byte[] body, int offset) {
      how.add("array " + callId + "/" + slot + (end ? " end" : ""));
      bytes.add(Arrays.copyOfRange(body, offset, body.length));
    }

    @Override
    public void streamData(int callId, int slot, boolean end, ByteBuffer data,
        ChunkBuffers owner) {
      how.add("direct " + callId + "/" + slot + (end ? " end" : ""));
      buffers.add(data);
      byte[] b = new byte[data.remaining()];
      data.duplicate().get(b);
      bytes.add(b);
    }

    @Override
    public void ping(long value) {
      how.add("ping " + value);
    }
  }

  @Test
  void aLargeChunkArrivingInPiecesIsReadIntoADirectBufferWhole() throws Exception {
    FakeLink link = new FakeLink();
    FrameReader reader = new FrameReader(link, 16 << 20);
    ChunkBuffers pool = new ChunkBuffers(CHUNK + 16);
    reader.readChunksInto(pool);
    Chunks h = new Chunks();
    byte[] frame = data(300, 2, false, CHUNK);
    for (int at = 0; at < frame.length; at += 10_000) { // 10,000 bytes a read
      link.feed(Arrays.copyOfRange(frame, at, Math.min(frame.length, at + 10_000)));
      reader.poll(h, 0);
    }
    assertThat(h.how).containsExactly("direct 300/2");
    assertThat(h.bytes.get(0)).isEqualTo(pattern(CHUNK));
    assertThat(h.buffers.get(0).isDirect()).isTrue();
  }

  @Test
  void theLastFlagAndFramesAroundTheChunkArriveInOrder() throws Exception {
    FakeLink link = new FakeLink();
    FrameReader reader = new FrameReader(link, 16 << 20);
    reader.readChunksInto(new ChunkBuffers(CHUNK + 16));
    Chunks h = new Chunks();
    ByteWriter w = new ByteWriter(32);
    Frames.ping(w, false, 5);
    link.feed(Arrays.copyOf(w.array(), w.size()));
    link.feed(data(7, 0, true, 100_000));
    link.feed(Arrays.copyOf(w.array(), w.size()));
    for (int i = 0; i < 3; i++) {
      assertThat(reader.next(h)).isTrue();
    }
    assertThat(h.how).containsExactly("ping 5", "direct 7/0 end", "ping 5");
    assertThat(h.bytes.get(0)).isEqualTo(pattern(100_000));
  }

  /** A {@link FakeLink} that notes, per read, how many bytes were asked for and where. */
  static final class ReadRecordingLink extends FakeLink {
    final List<String> reads = new ArrayList<>();

    @Override
    public int tryRead(ByteBuffer dst) {
      int asked = dst.remaining();
      int n = super.tryRead(dst);
      if (n > 0) {
        reads.add((dst.capacity() > 64 * 1024 ? "chunk " : "buffer ") + asked + " got " + n);
      }
      return n;
    }
  }

  @Test
  void aChunkAfterAChunkGoesIntoItsDirectBufferWithoutPassingThroughTheReadBuffer()
      throws Exception {
    ReadRecordingLink link = new ReadRecordingLink();
    FrameReader reader = new FrameReader(link, 16 << 20);
    reader.readChunksInto(new ChunkBuffers(CHUNK + 16));
    Chunks h = new Chunks();
    link.feed(data(9, 0, false, CHUNK));
    link.feed(data(9, 0, false, CHUNK));
    assertThat(reader.poll(h, 0)).isEqualTo(FrameReader.NONE); // the first chunk's first half
    assertThat(reader.poll(h, 0)).isEqualTo(FrameReader.FRAME);
    link.reads.clear();

    assertThat(reader.poll(h, 0)).isEqualTo(FrameReader.FRAME);

    // the second: its length and kind only, then all the rest straight into its buffer
    int rest = data(9, 0, false, CHUNK).length - 5;
    assertThat(link.reads).containsExactly("buffer 5 got 5", "chunk " + rest + " got " + rest);
    assertThat(h.how).containsExactly("direct 9/0", "direct 9/0");
    assertThat(h.bytes.get(1)).isEqualTo(pattern(CHUNK));
  }

  @Test
  void framesOfEveryKindAroundChunksArriveOnceAndInOrderHoweverTheBytesAreCut()
      throws Exception {
    ByteWriter w = new ByteWriter(32);
    Frames.ping(w, false, 5);
    byte[] ping = Arrays.copyOf(w.array(), w.size());
    java.io.ByteArrayOutputStream wire = new java.io.ByteArrayOutputStream();
    List<String> expected = new ArrayList<>();
    List<byte[]> expectedBytes = new ArrayList<>();
    int[] sizes = {CHUNK, CHUNK, 10, CHUNK, 0, CHUNK, 70_000, CHUNK, 3};
    for (int i = 0; i < sizes.length; i++) {
      wire.writeBytes(data(i + 1, 1, false, sizes[i]));
      expected.add((sizes[i] > 64 * 1024 ? "direct " : "array ") + (i + 1) + "/1");
      expectedBytes.add(pattern(sizes[i]));
      if (i % 3 == 2) {
        wire.writeBytes(ping);
        expected.add("ping 5");
      }
    }
    byte[] all = wire.toByteArray();
    java.util.Random random = new java.util.Random(42);
    for (int round = 0; round < 20; round++) {
      FakeLink link = new FakeLink();
      FrameReader reader = new FrameReader(link, 16 << 20);
      reader.readChunksInto(new ChunkBuffers(CHUNK + 16));
      Chunks h = new Chunks();
      for (int at = 0; at < all.length; ) {
        int n = Math.min(all.length - at, 1 + random.nextInt(round % 2 == 0 ? 20 : 200_000));
        link.feed(Arrays.copyOfRange(all, at, at + n));
        at += n;
        while (reader.poll(h, 0) == FrameReader.FRAME) {
          // every whole frame
        }
      }
      link.end();
      while (reader.poll(h, 0) == FrameReader.FRAME) {
        // the rest
      }
      assertThat(h.how).as("round " + round).containsExactlyElementsOf(expected);
      assertThat(h.bytes).as("round " + round).containsExactlyElementsOf(expectedBytes);
    }
  }

  @Test
  void chunksThatFitTheReadBufferOrExceedTheBuffersStayArrays() throws Exception {
    FakeLink link = new FakeLink();
    FrameReader reader = new FrameReader(link, 16 << 20);
    reader.readChunksInto(new ChunkBuffers(CHUNK + 16));
    Chunks h = new Chunks();
    link.feed(data(1, 1, false, 1000));
    link.feed(data(1, 1, false, 2 * CHUNK));
    assertThat(reader.next(h)).isTrue();
    assertThat(reader.next(h)).isTrue();
    assertThat(h.how).containsExactly("array 1/1", "array 1/1");
    assertThat(h.bytes.get(1)).isEqualTo(pattern(2 * CHUNK));
  }

  @Test
  void withoutChunkBuffersALargeChunkIsAnArray() throws Exception {
    FakeLink link = new FakeLink();
    FrameReader reader = new FrameReader(link, 16 << 20);
    Chunks h = new Chunks();
    link.feed(data(1, 0, false, CHUNK));
    assertThat(reader.next(h)).isTrue();
    assertThat(h.how).containsExactly("array 1/0");
  }

  @Test
  void aHandlerWithoutItsOwnDirectPathGetsACopyAndTheBufferGoesBack() throws Exception {
    FakeLink link = new FakeLink();
    FrameReader reader = new FrameReader(link, 16 << 20);
    ChunkBuffers pool = new ChunkBuffers(CHUNK + 16);
    reader.readChunksInto(pool);
    List<byte[]> got = new ArrayList<>();
    FrameHandler arraysOnly = new FrameHandler() {
      @Override
      public void streamData(int callId, int slot, boolean end, byte[] body, int offset) {
        got.add(Arrays.copyOfRange(body, offset, body.length));
      }
    };
    link.feed(data(1, 0, false, CHUNK));
    assertThat(reader.next(arraysOnly)).isTrue();
    assertThat(got).hasSize(1);
    assertThat(got.get(0)).isEqualTo(pattern(CHUNK));
    assertThat(pool.idle()).isEqualTo(1);
  }

  @Test
  void aChunkCutShortByTheEndOfTheStreamIsAnError() throws Exception {
    FakeLink link = new FakeLink();
    FrameReader reader = new FrameReader(link, 16 << 20);
    reader.readChunksInto(new ChunkBuffers(CHUNK + 16));
    byte[] frame = data(1, 0, false, CHUNK);
    link.feed(Arrays.copyOf(frame, 100_000));
    link.end();
    Chunks h = new Chunks();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
      while (reader.next(h)) {
        // reads until the end
      }
    }).isInstanceOf(java.io.EOFException.class);
    assertThat(h.how).isEmpty();
  }
}
