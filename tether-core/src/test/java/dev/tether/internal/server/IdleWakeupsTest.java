package dev.tether.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.Tether;
import dev.tether.TetherServer;
import dev.tether.fixtures.EchoService;
import dev.tether.fixtures.EchoServiceImpl;
import dev.tether.fixtures.WriteOnlyLink;
import dev.tether.testing.Await;
import dev.tether.testing.FakeClock;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IdleWakeupsTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  /** A link whose reader counts (and signals) its wake-ups. */
  private static final class WakeCountingLink extends WriteOnlyLink {
    final AtomicInteger wakeups = new AtomicInteger();
    final CountDownLatch woken = new CountDownLatch(1);

    WakeCountingLink() {
      super("fake");
    }

    @Override
    public void wakeupReader() {
      wakeups.incrementAndGet();
      woken.countDown();
    }

    @Override
    public void write(ByteBuffer src) {
      src.position(src.limit());
    }
  }

  private record Reader(IdleWakeups.Slot idleSlot, WakeCountingLink link)
      implements IdleWakeups.Waiter {
    Reader(WakeCountingLink link) {
      this(new IdleWakeups.Slot(link), link);
    }
  }

  @Test
  void theSweepWakesOnlyReadersWhoseParkTimeHasPassed() {
    FakeClock clock = new FakeClock();
    Reader due = new Reader(new WakeCountingLink());
    Reader later = new Reader(new WakeCountingLink());
    IdleWakeups wakeups = new IdleWakeups(List.of(due, later), () -> true, clock);
    long now = clock.nanoTime();

    assertThat(wakeups.untimed(due.idleSlot(), now)).isEqualTo(Long.MAX_VALUE);
    wakeups.untimed(later.idleSlot(), now + SECOND);

    assertThat(wakeups.sweep(now)).as("readers wait").isTrue();
    assertThat(due.link().wakeups).hasValue(1);
    assertThat(later.link().wakeups).hasValue(0);
    wakeups.sweep(now + SECOND);
    assertThat(later.link().wakeups).as("its park time came").hasValue(1);
  }

  @Test
  void aReaderThatStoppedWaitingIsNeitherWokenNorCounted() {
    FakeClock clock = new FakeClock();
    Reader reader = new Reader(new WakeCountingLink());
    IdleWakeups wakeups = new IdleWakeups(List.of(reader), () -> true, clock);
    wakeups.untimed(reader.idleSlot(), clock.nanoTime());

    reader.idleSlot().done();

    assertThat(wakeups.sweep(clock.nanoTime() + SECOND)).isFalse();
    assertThat(reader.link().wakeups).hasValue(0);
  }

  /** On the real timer thread: the sweep runs while a reader waits, and only then. */
  @Test
  void theSweepStartsForAWaitingReaderStopsWhenNobodyWaitsAndStartsAgain() throws Exception {
    FakeClock clock = new FakeClock();
    List<Reader> readers = new CopyOnWriteArrayList<>();
    IdleWakeups wakeups = new IdleWakeups(readers, () -> false, clock);
    Reader first = new Reader(new WakeCountingLink());
    readers.add(first);

    wakeups.untimed(first.idleSlot(), clock.nanoTime()); // due at once
    assertThat(first.link().woken.await(10, TimeUnit.SECONDS)).as("woken by the sweep").isTrue();
    first.idleSlot().done();
    Await.until(() -> !wakeups.running(), "the sweep to stop with nobody waiting");

    Reader second = new Reader(new WakeCountingLink());
    readers.add(second);
    wakeups.untimed(second.idleSlot(), clock.nanoTime());
    assertThat(wakeups.running()).isTrue();
    assertThat(second.link().woken.await(10, TimeUnit.SECONDS)).as("a later reader is not missed")
        .isTrue();
    second.idleSlot().done();
  }

  /**
   * The server's readers wait for frames untimed: an idle connection must still park (its reader
   * thread ends) and answer afterwards. Fails if the sweep never wakes the reader.
   */
  @Test
  void anIdleConnectionStillParksAndAnswersAfterwards() throws Exception {
    String address = "mem:" + UUID.randomUUID();
    try (TetherServer server = TetherServer.builder()
            .export("echo", EchoService.class, new EchoServiceImpl())
            .spin(Duration.ZERO).listen(address).start();
        Tether client = Tether.connect(address,
            dev.tether.TetherOptions.defaults().withSpin(Duration.ZERO))) {
      EchoService echo = client.get(EchoService.class, "echo");
      assertThat(echo.echo(1)).isEqualTo(1);
      Await.until(() -> !readerAlive(), "the idle connection's reader to park");
      assertThat(echo.echo(2)).as("a parked connection answers").isEqualTo(2);
    }
  }

  private static boolean readerAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().startsWith("tether-server-reader") && t.isAlive());
  }
}
