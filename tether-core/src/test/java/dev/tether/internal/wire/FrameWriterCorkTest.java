package dev.tether.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.fixtures.WriteOnlyLink;
import dev.tether.internal.codec.ByteWriter;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link FrameWriter#cork}: a thread's frames held back and written together. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FrameWriterCorkTest {
  /** Records every write as one entry. */
  static final class RecordingLink extends WriteOnlyLink {
    final List<byte[]> writes = new ArrayList<>();

    RecordingLink() {
      super("recording");
    }

    @Override
    public synchronized void write(ByteBuffer src) {
      byte[] b = new byte[src.remaining()];
      src.get(b);
      writes.add(b);
    }

    synchronized List<byte[]> writes() {
      return List.copyOf(writes);
    }
  }

  final RecordingLink link = new RecordingLink();
  final FrameWriter writer = new FrameWriter(link, e -> { });

  private static ByteWriter frame(int id, int payload) {
    ByteWriter w = new ByteWriter(64);
    Frames.begin(w, FrameKind.PING, 0, id);
    for (int i = 0; i < payload; i++) {
      w.writeByte(i);
    }
    Frames.end(w, Integer.MAX_VALUE);
    return w;
  }

  private static byte[] bytes(ByteWriter... frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (ByteWriter f : frames) {
      out.write(f.array(), 0, f.size());
    }
    return out.toByteArray();
  }

  @Test
  void framesOfTheCorkingThreadLeaveTogetherWhenItUncorks() throws Exception {
    ByteWriter a = frame(1, 8);
    ByteWriter b = frame(2, 8);
    ByteWriter c = frame(3, 8);
    writer.cork();
    writer.write(a);
    writer.write(b);
    writer.write(c);
    assertThat(link.writes()).isEmpty();
    writer.uncork();
    assertThat(link.writes()).containsExactly(bytes(a, b, c));
  }

  @Test
  void withoutCorkEveryFrameIsItsOwnWrite() throws Exception {
    writer.write(frame(1, 8));
    writer.write(frame(2, 8));
    assertThat(link.writes()).hasSize(2);
    writer.uncork(); // not corked: nothing to do
    assertThat(link.writes()).hasSize(2);
  }

  @Test
  void anotherThreadsFrameIsNotHeldAndCarriesTheCorkedOnesAlong() throws Exception {
    ByteWriter held = frame(1, 8);
    ByteWriter other = frame(2, 8);
    writer.cork();
    writer.write(held);
    Thread t = Thread.ofPlatform().start(() -> {
      try {
        writer.write(other);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    t.join(10_000);
    assertThat(link.writes()).containsExactly(bytes(held, other));
    writer.uncork();
    assertThat(link.writes()).hasSize(1);
  }

  @Test
  void aCorkedThreadWritesOnceItHasHeldBackTheLimit() throws Exception {
    writer.cork();
    int frames = 0;
    while (link.writes().isEmpty() && frames < 1_000) {
      writer.write(frame(frames, 1000));
      frames++;
    }
    assertThat(link.writes()).hasSize(1);
    assertThat(link.writes().get(0).length).isLessThanOrEqualTo(FrameWriter.CORK_BYTES + 1010);
    assertThat(frames).isGreaterThan(FrameWriter.CORK_BYTES / 1010);
  }

  @Test
  void aReaderThatTakesOverUncorksWhatTheStuckOneHeldBack() throws Exception {
    ByteWriter held = frame(1, 8);
    writer.cork();
    writer.write(held);
    Thread t = Thread.ofPlatform().start(() -> {
      try {
        writer.uncork();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    t.join(10_000);
    assertThat(link.writes()).containsExactly(bytes(held));
    writer.write(frame(2, 8)); // no longer corked: written at once
    assertThat(link.writes()).hasSize(2);
  }
}
