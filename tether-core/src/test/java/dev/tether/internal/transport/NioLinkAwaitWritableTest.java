package dev.tether.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A stream's pump waits for room in the socket without writing (see FrameWriter#awaitRoom). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NioLinkAwaitWritableTest {
  @Test
  void reportsRoomOnlyOnceThePeerHasReadWhatFilledTheChannel() throws Exception {
    Pipe pipe = Pipe.open();
    NioLink link = new NioLink(pipe.source(), pipe.sink(), "pipe", Link.WRITE_STALL_NANOS,
        pipe.source(), pipe.sink());
    try {
      assertThat(link.awaitWritable(0)).as("empty: room at once").isTrue();
      ByteBuffer fill = ByteBuffer.allocate(64 * 1024);
      long filled = 0;
      int n;
      while ((n = pipe.sink().write(fill.clear())) > 0) { // non-blocking: until it is full
        filled += n;
      }
      assertThat(filled).isPositive();
      long written = filled;
      assertThat(link.awaitWritable(TimeUnit.MILLISECONDS.toNanos(20)))
          .as("full: no room within the timeout").isFalse();

      Thread reader = Thread.ofPlatform().start(() -> {
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        try {
          for (long left = written; left > 0; ) {
            int r = link.tryRead(b.clear());
            if (r == 0) {
              link.awaitReadable(TimeUnit.SECONDS.toNanos(1));
            }
            left -= Math.max(r, 0);
          }
        } catch (IOException e) {
          throw new AssertionError(e);
        }
      });
      assertThat(link.awaitWritable(TimeUnit.SECONDS.toNanos(10)))
          .as("room once the peer read").isTrue();
      reader.join(10_000);
    } finally {
      link.close();
    }
    assertThatThrownBy(() -> link.awaitWritable(0)).isInstanceOf(IOException.class);
  }
}
