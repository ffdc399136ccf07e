package dev.tether.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import dev.tether.internal.transport.Endpoint;
import dev.tether.internal.transport.Transports;
import dev.tether.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Leadership of a connection's reading passes on without losing, duplicating or leaving unread an
 * answer: when the leader's caller does not come back, a waiting follower reads; callers that come
 * and go, with asynchronous calls between, each get their own answer once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LeaderHandOffTest {
  /** Holds call {@code x} until the test releases {@code x}. */
  public interface Hold {
    /** Waits (at most 30 s) for the release of {@code x}, then returns it. */
    int hold(int x);
  }

  /** Returns its argument. */
  public interface Echo {
    /** Returns {@code x}. */
    int echo(int x);
  }

  /** The asynchronous view of {@link Echo}. */
  public interface EchoAsync {
    /** Returns {@code x}, later. */
    CompletableFuture<Integer> echo(int x);
  }

  private final Map<Integer, CountDownLatch> releases = new ConcurrentHashMap<>();
  private final AtomicInteger running = new AtomicInteger();
  private TetherServer server;
  private ClientConnection connection;

  @AfterEach
  void stop() {
    releases.values().forEach(CountDownLatch::countDown);
    if (connection != null) {
      connection.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private CountDownLatch release(int x) {
    return releases.computeIfAbsent(x, k -> new CountDownLatch(1));
  }

  private void connect(Duration spin) throws Exception {
    server = TetherServer.builder()
        .export("hold", Hold.class, x -> {
          running.incrementAndGet();
          try {
            release(x).await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return x;
        })
        .export("echo", Echo.class, x -> x)
        .listen("mem:" + UUID.randomUUID())
        .start();
    connection = ClientConnection.open(
        Transports.connect(Endpoint.parse(server.address()), Duration.ofSeconds(10)),
        TetherOptions.defaults().withSpin(spin));
  }

  private static boolean parked(Thread t) {
    Thread.State s = t.getState();
    return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
  }

  @Test
  void aFollowerReadsWhenTheCallerWhoseAnswerArrivedDoesNotComeBack()
      throws Exception {
    connect(Duration.ofMillis(20));
    Hold hold = RemoteObjectHandler.proxy(connection, Hold.class, "hold");
    ReplyReader replies = connection.replies();
    Thread a = Thread.ofPlatform().name("caller-a").start(() -> hold.hold(1));
    Await.until(() -> replies.isLeader(a), "A leads");
    AtomicInteger bGot = new AtomicInteger();
    Thread b = Thread.ofPlatform().name("caller-b").start(() -> bGot.set(hold.hold(2)));
    Thread c = Thread.ofPlatform().name("caller-c").start(() -> hold.hold(4));
    Await.until(() -> running.get() == 3 && parked(b) && parked(c), "B and C wait");
    release(1).countDown();
    a.join(30_000); // A never calls again
    release(2).countDown(); // A's caller is gone: a follower must read
    b.join(30_000);
    assertThat(bGot.get()).isEqualTo(2);
    release(4).countDown();
    c.join(30_000);
    assertThat(c.isAlive()).as("the last follower's answer was read too").isFalse();
  }

  @Test
  void callersThatComeAndGoGetEachAnswerOnceWithAsynchronousCallsBetween() throws Exception {
    connect(Duration.ofMillis(50));
    Echo echo = RemoteObjectHandler.proxy(connection, Echo.class, "echo");
    EchoAsync async = RemoteObjectHandler.proxy(connection, EchoAsync.class, "echo");
    int threads = 8;
    LongAdder answered = new LongAdder();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (int round = 0; round < 30; round++) {
      List<Thread> callers = new ArrayList<>();
      int base = round * 1_000_000;
      long expected = 0;
      long before = answered.sum();
      for (int t = 0; t < threads; t++) {
        int id = t;
        int calls = 20 + 40 * t; // callers leave at different times: the last ones find no one
        expected += calls;
        callers.add(Thread.ofPlatform().name("caller-" + t).start(() -> {
          try {
            for (int i = 0; i < calls; i++) {
              int x = base + id * 10_000 + i;
              if (ThreadLocalRandom.current().nextInt(8) == 0) {
                // an asynchronous call: its answer needs a reader while nobody else waits
                assertThat(async.echo(x).get(30, TimeUnit.SECONDS)).isEqualTo(x);
              } else {
                assertThat(echo.echo(x)).isEqualTo(x);
              }
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
      assertThat(answered.sum() - before).isEqualTo(expected);
      assertThat(connection.hasPending()).as("a reply left unread").isFalse();
    }
  }
}
