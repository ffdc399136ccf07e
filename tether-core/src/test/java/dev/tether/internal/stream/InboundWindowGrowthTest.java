package dev.tether.internal.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.CallCancelledException;
import dev.tether.internal.wire.FrameWriter;
import dev.tether.internal.wire.ProtocolException;
import org.junit.jupiter.api.Test;

/**
 * Over a network link a stream's default window starts at 1 MiB, doubles while its reader keeps
 * up (drains what arrived), never passes {@link StreamLimits#NETWORK_MAX_WINDOW_BYTES}, and stays
 * where it is for a reader that always finds data queued; a configured window, or any window on a
 * local link, is fixed. The sender here is the test, which sends only what the
 * stream's credit allows; a byte beyond it is the protocol error that bounds the memory.
 */
class InboundWindowGrowthTest {
  private static final int CHUNK = StreamLimits.CHUNK_BYTES;
  private static final int MIB = 1 << 20;

  private static InboundStream open(int window, boolean network) {
    StreamTable table = new StreamTable(
        new FrameWriter(new InboundChunkRecyclingTest.NullLink(), e -> {}), e -> {},
        () -> 16 << 20, window, network, 0);
    return table.openInbound(1, 0, "result of test", null,
        CallCancelledException.Outcome.FORCED);
  }

  private static void send(InboundStream in, int n) throws ProtocolException {
    in.onData(java.nio.ByteBuffer.wrap(new byte[n]), false);
  }

  private static void read(InboundStream in, int n) {
    byte[] b = new byte[n];
    int got = 0;
    while (got < n) {
      got += in.read(b, got, n - got);
    }
  }

  @Test
  void aReaderThatKeepsUpGrowsTheWindowToItsBoundAndNoFurther() throws Exception {
    InboundStream in = open(StreamLimits.DEFAULT_WINDOW_BYTES, true);
    assertThat(in.window()).isEqualTo(StreamLimits.DEFAULT_WINDOW_BYTES).isEqualTo(MIB);
    long moved = 0;
    int most = 0;
    while (moved < 64L * MIB) { // every chunk read as soon as it came: the queue drains
      send(in, CHUNK);
      read(in, CHUNK);
      moved += CHUNK;
      most = Math.max(most, in.window());
      if (moved == MIB) {
        assertThat(in.window()).as("after one whole window read and drained").isEqualTo(2 * MIB);
      }
    }
    int max = StreamLimits.NETWORK_MAX_WINDOW_BYTES;
    assertThat(most).isEqualTo(in.window()).isEqualTo(max).isEqualTo(4 * MIB);
    // the sender may now have the whole grown window in flight, and not one byte more
    for (int i = 0; i < max / CHUNK; i++) {
      send(in, CHUNK);
    }
    assertThat(in.bufferedBytes()).isEqualTo(max);
    assertThatThrownBy(() -> send(in, 1)).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("beyond the 0 bytes of credit");
  }

  @Test
  void aSlowReaderThatAlwaysFindsDataQueuedKeepsTheFirstWindow() throws Exception {
    InboundStream in = open(StreamLimits.DEFAULT_WINDOW_BYTES, true);
    int window = in.window();
    for (int i = 0; i < window / CHUNK; i++) { // the sender fills the window at once
      send(in, CHUNK);
    }
    int step = StreamLimits.regrantBytes(window);
    for (long moved = 0; moved < 64L * MIB; moved += step) {
      read(in, step); // a grant's worth, leaving the rest queued
      assertThat(in.bufferedBytes()).isPositive();
      for (int i = 0; i < step / CHUNK; i++) { // the sender spends the grant at once
        send(in, CHUNK);
      }
      assertThat(in.window()).isEqualTo(window);
      assertThat(in.bufferedBytes()).isEqualTo(window);
    }
    assertThatThrownBy(() -> send(in, 1)).isInstanceOf(ProtocolException.class);
  }

  @Test
  void aConfiguredWindowOrOneOnALocalLinkIsFixedForAReaderThatKeepsUp() throws Exception {
    for (InboundStream in : new InboundStream[] {open(64 * 1024, true), open(2 * MIB, true),
        open(StreamLimits.DEFAULT_WINDOW_BYTES, false)}) {
      int window = in.window();
      for (long moved = 0; moved < 16L * MIB; moved += window / 4) {
        send(in, window / 4);
        read(in, window / 4);
        assertThat(in.window()).isEqualTo(window);
      }
    }
  }
}
