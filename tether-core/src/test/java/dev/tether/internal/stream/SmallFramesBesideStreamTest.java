package dev.tether.internal.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.fixtures.WriteOnlyLink;
import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.wire.FrameWriter;
import dev.tether.internal.wire.StreamFrames;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A stream's pump never makes an answer wait behind a chunk blocked in a full socket: once small
 * frames are sent beside the stream, the pump waits for the socket to drain before each chunk
 * without holding the connection's writer, so a small frame written meanwhile reaches the socket
 * at once. A stream alone keeps writing into the full socket as before (no waits for room).
 * Measured before: p50 of a ping during a result stream 150 us, of which ~40 us waiting for the
 * writer held by a blocked chunk (BENCHMARKS.md, "Small calls beside a stream").
 */
class SmallFramesBesideStreamTest {
  private static final int CHUNK = StreamLimits.CHUNK_BYTES;

  /**
   * A socket with a send buffer of {@code capacity} bytes that the test drains: a write blocks
   * while it is full; {@link #awaitWritable} reports room once it holds at most a quarter (as a
   * Unix socket's poll does). Records the call id of every frame that reached it, in order.
   */
  static final class FullSocket extends WriteOnlyLink {
    private final int capacity;
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private int buffered; // guarded by this
    private int roomWaits; // guarded by this
    final CountDownLatch writerWaits = new CountDownLatch(1);

    FullSocket(int capacity) {
      super("full socket");
      this.capacity = capacity;
    }

    @Override
    public synchronized void write(ByteBuffer src) {
      while (src.hasRemaining()) {
        if (buffered >= capacity) {
          writerWaits.countDown();
          waitForDrain();
          continue;
        }
        int n = Math.min(src.remaining(), capacity - buffered);
        byte[] b = new byte[n];
        src.get(b);
        written.write(b, 0, n);
        buffered += n;
      }
    }

    @Override
    public synchronized boolean awaitWritable(long timeoutNanos) {
      if (buffered <= capacity / 4) {
        return true;
      }
      roomWaits++;
      writerWaits.countDown();
      long deadline = System.nanoTime() + timeoutNanos;
      while (buffered > capacity / 4) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(this, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }

    private void waitForDrain() {
      try {
        wait(10_000); // the test drains; a bounded wait so a broken test cannot hang
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }

    /** The peer read everything. */
    synchronized void drain() {
      buffered = 0;
      notifyAll();
    }

    synchronized int roomWaits() {
      return roomWaits;
    }

    /** Call ids of the frames written so far, in order (a partly written frame counts). */
    synchronized List<Integer> callIds() {
      ByteBuffer all = ByteBuffer.wrap(written.toByteArray());
      List<Integer> ids = new ArrayList<>();
      while (all.remaining() >= 10) {
        int length = all.getInt();
        ids.add(all.getInt(all.position() + 2));
        all.position(Math.min(all.limit(), all.position() + length));
      }
      return ids;
    }
  }

  /** Endless zeros. */
  static final class Zeros extends InputStream {
    @Override
    public int read() {
      return 0;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      return len;
    }
  }

  private FullSocket socket;
  private FrameWriter writer;
  private StreamTable table;
  private OutboundStream pump;

  private void open(int capacity) {
    socket = new FullSocket(capacity);
    AtomicReference<Exception> broken = new AtomicReference<>();
    writer = new FrameWriter(socket, e -> {});
    table = new StreamTable(writer, broken::set, () -> 16 << 20,
        StreamLimits.DEFAULT_WINDOW_BYTES, 0);
    pump = table.openOutbound(1, 0, "result of test", new Zeros(), () -> false, null);
    pump.start();
  }

  @AfterEach
  void stopThePump() {
    if (pump != null) {
      pump.stop("test over", false);
      socket.drain();
    }
  }

  private static ByteWriter answer(int callId) {
    ByteWriter w = new ByteWriter(32);
    StreamFrames.credit(w, callId, 0, 1); // any small frame: an answer, a credit
    return w;
  }

  /** Until the socket holds at least {@code frames} frames (of any size). */
  private void awaitFrames(int frames) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (socket.callIds().size() < frames) {
      assertThat(System.nanoTime() - deadline).as("frames never written").isNegative();
      Thread.onSpinWait();
    }
  }

  @Test
  void anAnswerWrittenWhileTheSocketIsFullGoesOutAtOnceNotBehindTheNextChunk() throws Exception {
    open(CHUNK + CHUNK / 4);
    table.onCredit(1, 0, CHUNK); // one chunk: the socket holds it and has room for a quarter more
    awaitFrames(1);
    writer.write(answer(7)); // a call's answer beside the stream: the pump yields now
    table.onCredit(1, 0, 4 * CHUNK);
    assertThat(socket.writerWaits.await(10, TimeUnit.SECONDS))
        .as("the pump reached the full socket").isTrue();

    writer.write(answer(8)); // returns once written or queued

    assertThat(socket.callIds()).as("the answer reached the socket before any more stream data")
        .containsExactly(1, 7, 8);
    socket.drain();
    awaitFrames(4);
    assertThat(socket.callIds()).startsWith(1, 7, 8, 1);
  }

  @Test
  void aStreamAloneWritesIntoTheFullSocketWithoutWaitingForRoom() throws Exception {
    open(CHUNK + CHUNK / 4);
    table.onCredit(1, 0, 3 * CHUNK);
    assertThat(socket.writerWaits.await(10, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < 3; i++) {
      socket.drain();
      awaitFrames(Math.min(3, i + 2));
    }
    socket.drain();
    assertThat(socket.roomWaits()).as("waits for room with no small frame beside").isZero();
  }
}
