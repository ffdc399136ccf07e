package dev.tether.internal.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.CallCancelledException;
import dev.tether.fixtures.WriteOnlyLink;
import dev.tether.internal.wire.FrameWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A peer that sent a stream's last bytes and closed (a server draining on shutdown) makes the
 * reading side's credit writes fail. What it sent has arrived and must still be read: a failed
 * credit does not break the connection (its reader finds the end of the stream after the data).
 * CI saw the opposite: "connection lost while sending a stream" in the middle of a result stream.
 */
class CreditAfterPeerClosedTest {
  /** The peer closed: every write fails, as on a socket whose other end is gone. */
  static final class ClosedPeer extends WriteOnlyLink {
    ClosedPeer() {
      super("closed peer");
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
      throw new IOException("Broken pipe");
    }
  }

  @Test
  void aFailedCreditWriteLeavesTheDataThatArrivedReadable() throws Exception {
    AtomicReference<IOException> broken = new AtomicReference<>();
    StreamTable table = new StreamTable(new FrameWriter(new ClosedPeer(), e -> {}), broken::set,
        () -> 16 << 20, StreamLimits.DEFAULT_WINDOW_BYTES, 0);
    InboundStream in = table.openInbound(1, 0, "result of test", null,
        CallCancelledException.Outcome.FORCED); // grants its window: a credit write that fails
    table.onData(1, 0, false, new byte[StreamLimits.DEFAULT_WINDOW_BYTES - 1], 0);
    table.onData(1, 0, true, new byte[] {7}, 0);

    byte[] b = new byte[64 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(b, 0, b.length)) >= 0) { // regrants credit on the way: more failures
      total += n;
    }
    assertThat(total).isEqualTo(StreamLimits.DEFAULT_WINDOW_BYTES);
    assertThat(broken.get()).as("the connection was not failed for a credit").isNull();
  }
}
