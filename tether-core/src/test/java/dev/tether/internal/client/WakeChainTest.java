package dev.tether.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.transport.Transports;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The leader's wakes passed from caller to caller ({@link ReplyReader#wakeLater}): a queued
 * caller is woken even when the caller before it never passes the wake on, and many callers on
 * one connection, spinning or not, each get their answer once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WakeChainTest {
  /** Returns its argument. */
  public interface Echo {
    /** Returns {@code x}. */
    int echo(int x);
  }

  private TetherServer server;
  private ClientConnection connection;

  @AfterEach
  void stop() {
    if (connection != null) {
      connection.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private Echo connect(Duration spin) throws Exception {
    server = TetherServer.builder()
        .export("echo", Echo.class, x -> x)
        .listen("mem:" + UUID.randomUUID())
        .start();
    connection = ClientConnection.open(
        Transports.connect(Endpoint.parse(server.address()), Duration.ofSeconds(10)),
        TetherOptions.defaults().withSpin(spin));
    return RemoteObjectHandler.proxy(connection, Echo.class, "echo");
  }

  /** A thread that parks until {@code woken} counts down; it never passes a wake on. */
  private static Thread sleeper(String name, CountDownLatch parked, CountDownLatch woken) {
    return Thread.ofPlatform().name(name).start(() -> {
      parked.countDown();
      LockSupport.park();
      woken.countDown();
    });
  }

  @Test
  void aQueuedCallerIsWokenByTheNextLeaderWhenTheChainBreaks() throws Exception {
    Echo echo = connect(Duration.ofMillis(1));
    ReplyReader replies = connection.replies();
    CountDownLatch parked = new CountDownLatch(2);
    CountDownLatch firstWoken = new CountDownLatch(1);
    CountDownLatch secondWoken = new CountDownLatch(1);
    Thread first = sleeper("first", parked, firstWoken);
    Thread second = sleeper("second", parked, secondWoken);
    parked.await(10, TimeUnit.SECONDS);
    replies.wakeLater(first); // starts a chain: first is woken at once
    replies.wakeLater(second); // queued behind it; first never passes it on
    assertThat(firstWoken.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(secondWoken.getCount()).as("queued, not woken yet").isEqualTo(1);
    assertThat(echo.echo(7)).isEqualTo(7); // a leader reads and, leaving, wakes who is left
    assertThat(secondWoken.await(10, TimeUnit.SECONDS))
        .as("the leader woke the caller the broken chain left queued").isTrue();
    first.join(10_000);
    second.join(10_000);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 50})
  void sixteenCallersEachGetTheirAnswersOnce(int spinMicros) throws Exception {
    Echo echo = connect(Duration.ofNanos(spinMicros * 1_000L));
    int threads = 16;
    int calls = 3_000;
    LongAdder answered = new LongAdder();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> callers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      callers.add(Thread.ofPlatform().name("caller-" + t).start(() -> {
        try {
          for (int i = 0; i < calls; i++) {
            int x = id * 1_000_000 + i;
            assertThat(echo.echo(x)).isEqualTo(x);
            answered.increment();
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }));
    }
    for (Thread c : callers) {
      c.join(60_000);
      assertThat(c.isAlive()).as("a caller still waits for an answer").isFalse();
    }
    assertThat(failure.get()).isNull();
    assertThat(answered.sum()).isEqualTo((long) threads * calls);
    assertThat(connection.hasPending()).as("a reply left unread").isFalse();
  }
}
