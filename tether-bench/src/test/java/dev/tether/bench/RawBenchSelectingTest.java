package dev.tether.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The selector-waiting raw floor ({@code raw-uds-epoll}, {@code raw-tcp-epoll}): its echo server
 * sends back every message whole and in order, however the messages arrive, and its client's
 * ping-pong completes.
 */
class RawBenchSelectingTest {
  @Test
  @Timeout(30)
  void echoServerReturnsEachMessageWholeAndInOrderWhetherTheyArriveTogetherOrInPieces()
      throws Exception {
    try (RawBench.Server server = RawBench.Server.start(true);
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(server.address().substring("unix:".length())));
      ch.write(ByteBuffer.wrap(new byte[] {'E'}));

      ByteBuffer one = message(1, 20);
      writeAll(ch, one.duplicate());
      assertThat(readExactly(ch, one.remaining())).isEqualTo(one);

      ByteBuffer two = message(2, 9);
      ByteBuffer three = message(3, 300);
      ByteBuffer both = ByteBuffer.allocate(two.remaining() + three.remaining());
      both.put(two.duplicate()).put(three.duplicate()).flip();
      writeAll(ch, both.duplicate()); // one write: the server reads both at once
      assertThat(readExactly(ch, both.remaining())).isEqualTo(both);

      ByteBuffer four = message(4, 1000);
      writeAll(ch, four.duplicate().limit(2)); // not even the whole length yet
      writeAll(ch, four.duplicate().position(2).limit(500));
      writeAll(ch, four.duplicate().position(500));
      assertThat(readExactly(ch, four.remaining())).isEqualTo(four);
    }
  }

  @Test
  @Timeout(120)
  void bothFloorsThatWaitInASelectorCompleteTheirPingPong() throws Exception {
    for (String system : new String[] {"raw-uds-epoll", "raw-tcp-epoll-server"}) {
      try (SystemBench bench = BenchMain.create(system, BenchPlan.of(true, 0))) {
        bench.open();
        Measure.Call call = bench.echoCall(1);
        for (int i = 0; i < 2_000; i++) {
          call.call(); // throws if the server closed or a message did not come back whole
        }
        assertThat(bench.echoCall(16)).as(system).isNull(); // one exchange at a time
      }
    }
  }

  /** A length-prefixed message of {@code length} body bytes, each {@code tag}. */
  private static ByteBuffer message(int tag, int length) {
    ByteBuffer b = ByteBuffer.allocate(4 + length).putInt(length);
    for (int i = 0; i < length; i++) {
      b.put((byte) (tag * 31 + i));
    }
    return b.flip();
  }

  private static void writeAll(SocketChannel ch, ByteBuffer b) throws Exception {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  private static ByteBuffer readExactly(SocketChannel ch, int n) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(n);
    while (b.hasRemaining()) {
      assertThat(ch.read(b)).as("the server closed the connection").isNotNegative();
    }
    return b.flip();
  }
}
