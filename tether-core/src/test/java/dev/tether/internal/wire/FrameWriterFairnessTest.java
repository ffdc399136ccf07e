package dev.tether.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.fixtures.WriteOnlyLink;
import dev.tether.internal.codec.ByteWriter;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Stream data never makes a small frame wait behind more than the chunk being written: a frame
 * queued while chunks wait for the link goes out before the next chunk, and chunks are never
 * copied into the queue.
 */
class FrameWriterFairnessTest {
  /** Records what is written; the first write blocks until the test lets it go. */
  static final class GatedLink extends WriteOnlyLink {
    final CountDownLatch firstWriteEntered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private boolean first = true;

    GatedLink() {
      super("gated");
    }

    @Override
    public void write(ByteBuffer src) {
      boolean gate;
      synchronized (this) {
        gate = first;
        first = false;
      }
      if (gate) {
        firstWriteEntered.countDown();
        try {
          if (!release.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("never released");
          }
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      }
      byte[] b = new byte[src.remaining()];
      src.get(b);
      synchronized (this) {
        written.write(b, 0, b.length);
      }
    }

    /** The call ids of the frames written, in order. */
    synchronized List<Integer> callIds() {
      ByteBuffer all = ByteBuffer.wrap(written.toByteArray());
      List<Integer> ids = new ArrayList<>();
      while (all.hasRemaining()) {
        int length = all.getInt();
        ids.add(all.getInt(all.position() + 2));
        all.position(all.position() + length);
      }
      return ids;
    }
  }

  private static ByteWriter chunk(int callId, int bytes) {
    ByteWriter w = new ByteWriter(bytes + StreamFrames.DATA_OVERHEAD);
    StreamFrames.beginData(w, callId, 1, false);
    w.writeBytes(new byte[bytes], 0, bytes);
    Frames.end(w, Integer.MAX_VALUE);
    return w;
  }

  private static ByteWriter small(int callId) {
    ByteWriter w = new ByteWriter(32);
    StreamFrames.credit(w, callId, 0, 4096);
    return w;
  }

  /** Until {@code t} waits (or has finished, having queued its frames without waiting). */
  private static void awaitBlockedOrDone(Thread t) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING
        && t.getState() != Thread.State.TERMINATED) {
      assertThat(System.nanoTime() - deadline).as("thread never blocked").isNegative();
      Thread.onSpinWait();
    }
  }

  @Test
  void smallFrameQueuedBehindAChunkGoesOutBeforeTheNextChunk() throws Exception {
    GatedLink link = new GatedLink();
    FrameWriter writer = new FrameWriter(link, e -> {});
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread firstChunk = Thread.ofPlatform().start(() -> {
      try {
        writer.writeBulk(chunk(1, 256 * 1024));
      } catch (Throwable t) {
        failures.add(t);
      }
    });
    assertThat(link.firstWriteEntered.await(10, TimeUnit.SECONDS)).isTrue();
    Thread nextChunks = Thread.ofPlatform().start(() -> {
      try {
        writer.writeBulk(chunk(2, 256 * 1024));
        writer.writeBulk(chunk(3, 256 * 1024));
      } catch (Throwable t) {
        failures.add(t);
      }
    });
    awaitBlockedOrDone(nextChunks); // waiting for the link, its chunk in hand

    writer.write(small(99)); // the link is busy: queued, the caller does not wait

    link.release.countDown();
    firstChunk.join(10_000);
    nextChunks.join(10_000);
    assertThat(failures).isEmpty();
    assertThat(link.callIds()).containsExactly(1, 99, 2, 3);
  }

  @Test
  void smallFrameWrittenWhileTheLinkIsFreeGoesOutAtOnce() throws Exception {
    GatedLink link = new GatedLink();
    link.release.countDown();
    FrameWriter writer = new FrameWriter(link, e -> {});
    writer.writeBulk(chunk(1, 1000));
    writer.write(small(99));
    writer.writeBulk(chunk(2, 1000));
    assertThat(link.callIds()).containsExactly(1, 99, 2);
  }
}
