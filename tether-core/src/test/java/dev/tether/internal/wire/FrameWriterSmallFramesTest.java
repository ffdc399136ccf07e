package dev.tether.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.fixtures.WriteOnlyLink;
import dev.tether.internal.codec.ByteWriter;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The writer tells a bulk writer when small frames are sent beside its data, and counts nothing
 * on a connection without bulk data (the hot path of plain calls pays one volatile read).
 */
class FrameWriterSmallFramesTest {
  private static final class Sink extends WriteOnlyLink {
    Sink() {
      super("sink");
    }

    @Override
    public void write(ByteBuffer src) {
      src.position(src.limit());
    }
  }

  private static ByteWriter small() {
    ByteWriter w = new ByteWriter(32);
    StreamFrames.credit(w, 1, 0, 1);
    return w;
  }

  private static ByteWriter chunk() {
    ByteWriter w = new ByteWriter(1024);
    StreamFrames.beginData(w, 1, 0, false);
    w.writeBytes(new byte[1000], 0, 1000);
    Frames.end(w, Integer.MAX_VALUE);
    return w;
  }

  @Test
  void smallFramesCountOnlyOnceBulkDataFlowed() throws Exception {
    FrameWriter writer = new FrameWriter(new Sink(), e -> {});
    int before = writer.smallFramesBesideBulk();
    writer.write(small());
    writer.offer(small());
    writer.flushOffered();
    assertThat(writer.smallFramesBesideBulk()).as("no bulk data yet").isEqualTo(before);

    writer.writeBulk(chunk());
    int afterChunk = writer.smallFramesBesideBulk();
    writer.writeBulk(chunk());
    assertThat(writer.smallFramesBesideBulk()).as("chunks are not small frames")
        .isEqualTo(afterChunk);
    writer.write(small());
    int afterWrite = writer.smallFramesBesideBulk();
    assertThat(afterWrite).isNotEqualTo(afterChunk);
    writer.offer(small());
    int afterOffer = writer.smallFramesBesideBulk();
    assertThat(afterOffer).isNotEqualTo(afterWrite);
    writer.writeSoon(small());
    assertThat(writer.smallFramesBesideBulk()).isNotEqualTo(afterOffer);
  }

  @Test
  void anIdleConnectionStopsCountingUntilBulkDataFlowsAgain() throws Exception {
    FrameWriter writer = new FrameWriter(new Sink(), e -> {});
    writer.writeBulk(chunk());
    writer.trim(); // idle: nothing queued, nobody writing
    int trimmed = writer.smallFramesBesideBulk();
    writer.write(small());
    assertThat(writer.smallFramesBesideBulk()).isEqualTo(trimmed);
    writer.writeBulk(chunk());
    writer.write(small());
    assertThat(writer.smallFramesBesideBulk()).isNotEqualTo(trimmed);
  }
}
