package dev.tether.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.testing.FakeClock;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The debt of refused frames: allowance, drain rate, cap, and the readers it holds back. */
class RefusalPenaltyTest {
  private static final long MIB = 1 << 20;
  private final FakeClock clock = new FakeClock();
  private final RefusalPenalty penalty = new RefusalPenalty(MIB, MIB, clock);

  @Test
  void largeFramesPassUntilTheDebtExceedsTheAllowanceThenWaitForTheDrain() {
    assertThat(penalty.allowsLargeFrame()).isTrue();
    penalty.refused(MIB);
    assertThat(penalty.allowsLargeFrame()).as("one refusal is within the allowance").isTrue();
    penalty.refused(MIB);
    assertThat(penalty.allowsLargeFrame()).isFalse();
    clock.advance(Duration.ofMillis(900));
    assertThat(penalty.allowsLargeFrame()).isFalse();
    clock.advance(Duration.ofMillis(100));
    assertThat(penalty.allowsLargeFrame()).isTrue();
    assertThat(penalty.debt()).isBetween(MIB - 1, MIB);
  }

  @Test
  void frequentChecksDoNotLoseTheTimeBetweenThem() {
    penalty.refused(2 * MIB);
    for (int i = 0; i < 1_000_000; i++) { // a nanosecond each: too little to drain a byte alone
      clock.advance(Duration.ofNanos(1));
      penalty.allowsLargeFrame();
    }
    assertThat(penalty.debt()).isBetween(2 * MIB - MIB / 1000 - 1, 2 * MIB - MIB / 1000 + 1);
  }

  @Test
  void theDebtIsCappedSoALargeFrameNeverWaitsMoreThanFourSeconds() {
    for (int i = 0; i < 100; i++) {
      penalty.refused(16 * MIB);
    }
    assertThat(penalty.debt()).isBetween(5 * MIB - 1, 5 * MIB);
    clock.advance(Duration.ofSeconds(4));
    assertThat(penalty.allowsLargeFrame()).isTrue();
  }

  @Test
  void aLongIdleDrainsEverythingWithoutOverflow() {
    penalty.refused(3 * MIB);
    clock.advance(Duration.ofDays(365 * 200));
    assertThat(penalty.debt()).isZero();
  }

  @Test
  void badSettingsAreRefused() {
    assertThatThrownBy(() -> new RefusalPenalty(-1, MIB, clock))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RefusalPenalty(MIB, 0, clock))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aReaderHoldsOffLargeFramesWhileInDebtButReadsSmallOnes() throws Exception {
    FrameReaderBudgetTest.FakeLink link = new FrameReaderBudgetTest.FakeLink();
    ByteBudget connection = ByteBudget.root(4 * MIB).child(4 * MIB);
    FrameReader reader = new FrameReader(link, 4 << 20, connection, 0, penalty);
    penalty.refused(2 * MIB);
    int length = 512 * 1024;
    link.feed(ByteBuffer.allocate(10).putInt(length).put((byte) FrameKind.PING).put((byte) 0)
        .putInt(0).array());
    PingFrames.Pings pings = new PingFrames.Pings();
    assertThat(reader.poll(pings, 0)).isEqualTo(FrameReader.NONE);
    assertThat(connection.used()).as("nothing allocated for the held frame").isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(reader.poll(pings, 0)).isEqualTo(FrameReader.NONE); // admitted, body arriving
    assertThat(connection.used()).isEqualTo(length);
    reader.release();
  }

  @Test
  void whenAHoldEndsOneWaitingReaderReadsItsLargeFrameAndTheOthersWaitOnForIt() throws Exception {
    ByteBudget server = ByteBudget.root(64 * MIB);
    List<FrameReaderBudgetTest.FakeLink> links = new ArrayList<>();
    List<FrameReader> readers = new ArrayList<>();
    List<ByteBudget> budgets = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      FrameReaderBudgetTest.FakeLink link = new FrameReaderBudgetTest.FakeLink();
      ByteBudget connection = server.child(8 * MIB);
      link.feed(ByteBuffer.allocate(10).putInt(512 * 1024).put((byte) FrameKind.PING)
          .put((byte) 0).putInt(0).array());
      links.add(link);
      budgets.add(connection);
      readers.add(new FrameReader(link, 4 << 20, connection, 0, penalty));
    }
    penalty.refused(2 * MIB); // a hold of one second
    PingFrames.Pings pings = new PingFrames.Pings();
    for (FrameReader r : readers) {
      assertThat(r.poll(pings, 0)).isEqualTo(FrameReader.NONE);
    }
    assertThat(budgets).allMatch(b -> b.used() == 0);

    clock.advance(Duration.ofSeconds(1)); // the hold ends: every reader looks again
    for (FrameReader r : readers) {
      r.poll(pings, 0);
    }
    assertThat(budgets.stream().filter(b -> b.used() > 0)).as("readers that read").hasSize(1);
    readers.forEach(FrameReader::release);
  }

  @Test
  void aProvisionalChargeIsRefundedWhenTheFrameIsAcceptedAndKeptWhenItIsRefused() {
    penalty.refused(MIB / 2); // in debt, within the allowance
    long charged = penalty.admitLarge((int) (3 * MIB / 4));
    assertThat(charged).isEqualTo(3 * MIB / 4);
    assertThat(penalty.debt()).isBetween(5 * MIB / 4 - 1, 5 * MIB / 4);
    assertThat(penalty.admitLarge(1024)).as("now beyond the allowance: wait").isEqualTo(-1);
    penalty.refund(charged);
    assertThat(penalty.debt()).isBetween(MIB / 2 - 1, MIB / 2);
    clock.advance(Duration.ofSeconds(10));
    assertThat(penalty.admitLarge(1024)).as("no debt: read for free").isZero();
  }

  @Test
  void aFrameCutShortByItsPeersEndGivesItsProvisionalChargeBack() throws Exception {
    FrameReaderBudgetTest.FakeLink link = new FrameReaderBudgetTest.FakeLink();
    FrameReader reader = new FrameReader(link, 4 << 20, ByteBudget.root(8 * MIB), 0, penalty);
    penalty.refused(MIB / 2); // in debt, within the allowance: the next large frame is charged
    link.feed(ByteBuffer.allocate(10).putInt(3 * (int) MIB / 4).put((byte) FrameKind.PING)
        .put((byte) 0).putInt(0).array());
    PingFrames.Pings pings = new PingFrames.Pings();
    assertThat(reader.poll(pings, 0)).isEqualTo(FrameReader.NONE);
    assertThat(penalty.allowsLargeFrame()).as("charged provisionally").isFalse();

    link.end(); // the peer goes away in the middle of the frame
    assertThatThrownBy(() -> reader.poll(pings, 0)).isInstanceOf(java.io.EOFException.class);
    reader.release();
    assertThat(penalty.allowsLargeFrame()).as("the next held reader may read").isTrue();
    assertThat(penalty.debt()).isBetween(MIB / 2 - 1, MIB / 2);
  }

  @Test
  void aSmallFrameIsReadWhateverTheDebt() throws Exception {
    FrameReaderBudgetTest.FakeLink link = new FrameReaderBudgetTest.FakeLink();
    FrameReader reader = new FrameReader(link, 4 << 20, ByteBudget.root(MIB), 0, penalty);
    penalty.refused(5 * MIB);
    var w = new dev.tether.internal.codec.ByteWriter(32);
    Frames.ping(w, false, 7);
    link.feed(java.util.Arrays.copyOf(w.array(), w.size()));
    PingFrames.Pings pings = new PingFrames.Pings();
    assertThat(reader.poll(pings, 0)).isEqualTo(FrameReader.FRAME);
    assertThat(pings.values).containsExactly(7L);
  }
}
