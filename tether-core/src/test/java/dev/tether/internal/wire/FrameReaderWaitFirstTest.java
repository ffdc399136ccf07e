package dev.tether.internal.wire;

import static dev.tether.internal.wire.PingFrames.ping;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.internal.wire.PingFrames.Pings;
import dev.tether.internal.transport.Link;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A reader about to wait on a link whose selector sees every byte waits first and reads once:
 * with spinning off, the read before the wait found nothing on every round trip, one system call
 * for nothing on each side (issue 14: the spin-off TCP round trip was 1.13x the blocking floor).
 */
class FrameReaderWaitFirstTest {
  /** A link that logs its reads and waits; a wait is when the peer's bytes arrive. */
  static final class LoggingLink implements Link {
    final List<String> log = new ArrayList<>();
    private final boolean waitSeesEveryByte;
    private final ByteBuffer in = ByteBuffer.allocate(1024).flip();
    private byte[] arrivesOnWait;
    private boolean endsOnWait;
    private boolean ended;

    LoggingLink(boolean waitSeesEveryByte) {
      this.waitSeesEveryByte = waitSeesEveryByte;
    }

    void feed(byte[] bytes) {
      in.compact().put(bytes).flip();
    }

    @Override
    public boolean waitSeesEveryByte() {
      return waitSeesEveryByte;
    }

    @Override
    public int tryRead(ByteBuffer dst) {
      if (ended && !in.hasRemaining()) {
        log.add("read:end");
        return -1;
      }
      int n = Math.min(dst.remaining(), in.remaining());
      dst.put(in.slice().limit(n));
      in.position(in.position() + n);
      log.add("read:" + n);
      return n;
    }

    @Override
    public boolean awaitReadable(long timeoutNanos) {
      log.add("wait");
      if (arrivesOnWait != null) {
        feed(arrivesOnWait);
        arrivesOnWait = null;
      }
      if (endsOnWait) {
        ended = true;
      }
      return true;
    }

    @Override
    public void wakeupReader() {}

    @Override
    public void write(ByteBuffer src) {
      src.position(src.limit());
    }

    @Override
    public String peer() {
      return "logging";
    }

    @Override
    public void close() {}
  }

  @Test
  void aReaderAboutToWaitOnASocketWaitsFirstAndReadsOnce() throws Exception {
    LoggingLink link = new LoggingLink(true);
    link.arrivesOnWait = ping(7);
    FrameReader reader = new FrameReader(link, 1 << 20);
    Pings pings = new Pings();

    assertThat(reader.poll(pings, 1_000_000_000L)).isEqualTo(FrameReader.FRAME);

    assertThat(pings.values).containsExactly(7L);
    assertThat(link.log).as("no read that finds nothing before the wait")
        .containsExactly("wait", "read:" + ping(7).length);
  }

  @Test
  void aLinkThatBuffersInboundBytesIsReadBeforeAnyWait() throws Exception {
    LoggingLink link = new LoggingLink(false); // like TLS: its selector misses decrypted bytes
    link.feed(ping(8));
    FrameReader reader = new FrameReader(link, 1 << 20);
    Pings pings = new Pings();

    assertThat(reader.poll(pings, 1_000_000_000L)).isEqualTo(FrameReader.FRAME);

    assertThat(pings.values).containsExactly(8L);
    assertThat(link.log).containsExactly("read:" + ping(8).length);
  }

  @Test
  void aPollThatMustNotWaitOnlyReads() throws Exception {
    LoggingLink link = new LoggingLink(true);
    FrameReader reader = new FrameReader(link, 1 << 20);

    assertThat(reader.poll(new Pings(), 0)).isEqualTo(FrameReader.NONE);

    assertThat(link.log).containsExactly("read:0");
  }

  @Test
  void aFrameAlreadyBufferedIsDispatchedWithoutReadingOrWaiting() throws Exception {
    LoggingLink link = new LoggingLink(true);
    byte[] two = new byte[ping(1).length * 2];
    System.arraycopy(ping(1), 0, two, 0, ping(1).length);
    System.arraycopy(ping(2), 0, two, ping(1).length, ping(2).length);
    link.feed(two);
    FrameReader reader = new FrameReader(link, 1 << 20);
    Pings pings = new Pings();
    assertThat(reader.poll(pings, 0)).isEqualTo(FrameReader.FRAME);
    link.log.clear();

    assertThat(reader.poll(pings, 1_000_000_000L)).isEqualTo(FrameReader.FRAME);

    assertThat(pings.values).containsExactly(1L, 2L);
    assertThat(link.log).isEmpty();
  }

  @Test
  void theEndOfTheStreamSeenAfterTheWaitEndsThePoll() throws Exception {
    LoggingLink link = new LoggingLink(true);
    link.endsOnWait = true;
    FrameReader reader = new FrameReader(link, 1 << 20);

    assertThat(reader.poll(new Pings(), 1_000_000_000L)).isEqualTo(FrameReader.END);

    assertThat(link.log).containsExactly("wait", "read:end");
  }
}
