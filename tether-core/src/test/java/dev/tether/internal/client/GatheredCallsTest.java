package dev.tether.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import dev.tether.internal.transport.Endpoint;
import dev.tether.fixtures.ForwardingLink;
import dev.tether.internal.transport.Link;
import dev.tether.internal.transport.Transports;
import dev.tether.testing.Await;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Callers that send while a leader polls for answers leave their CALL frames to it, so calls made
 * together go out in one write (issue 14: 16 callers over TCP made one write per call).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GatheredCallsTest {
  /** Holds each call until the test lets it go. */
  public interface Hold {
    /** Waits for the release (at most 30 s), then returns {@code x}. */
    int hold(int x);
  }

  /** A link that remembers which thread made each write. */
  static final class WriterRecordingLink extends ForwardingLink {
    private final List<String> writers = new ArrayList<>();

    WriterRecordingLink(Link delegate) {
      super(delegate);
    }

    synchronized List<String> writers() {
      return List.copyOf(writers);
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
      synchronized (this) {
        writers.add(Thread.currentThread().getName());
      }
      delegate.write(src);
    }
  }

  final CountDownLatch release = new CountDownLatch(1);
  final AtomicInteger running = new AtomicInteger();
  TetherServer server;
  ClientConnection connection;

  @AfterEach
  void stop() {
    release.countDown();
    if (connection != null) {
      connection.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private void startServer() {
    server = TetherServer.builder()
        .export("hold", Hold.class, x -> {
          running.incrementAndGet();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return x;
        })
        .listen("mem:" + UUID.randomUUID())
        .start();
  }

  @Test
  void aFollowersCallIsWrittenByThePollingLeader() throws Exception {
    startServer();
    // The leader polls (and gathers) for at most a second (the longest spin) after it starts
    // leading; on a busy machine the second call may come later than that: then try again.
    for (int attempt = 1; ; attempt++) {
      WriterRecordingLink link = new WriterRecordingLink(
          Transports.connect(Endpoint.parse(server.address()), Duration.ofSeconds(10)));
      connection = ClientConnection.open(link, TetherOptions.defaults()
          .withSpin(Duration.ofSeconds(1)));
      Hold hold = RemoteObjectHandler.proxy(connection, Hold.class, "hold");
      running.set(0);
      Thread leader = Thread.ofPlatform().name("caller-a").start(() -> call(hold, 1));
      Await.until(() -> connection.replies().isLeader(leader), "the first caller leads");
      long leading = System.nanoTime();
      int before = link.writers().size();
      Thread follower = Thread.ofPlatform().name("caller-b").start(() -> call(hold, 2));
      Await.until(() -> running.get() == 2, "the second call reaches the server");
      boolean inWindow = System.nanoTime() - leading < TimeUnit.MILLISECONDS.toNanos(500);
      List<String> writers = link.writers().subList(before, link.writers().size());
      connection.close(); // both calls fail now; the held methods stay held, harmlessly
      leader.join(10_000);
      follower.join(10_000);
      if (inWindow || attempt == 5) {
        assertThat(inWindow).as("the second call was made while the leader polled").isTrue();
        assertThat(writers).as("threads that wrote the second caller's CALL")
            .containsOnly("caller-a");
        return;
      }
    }
  }

  private static void call(Hold hold, int x) {
    try {
      hold.hold(x);
    } catch (dev.tether.TetherException expected) {
      // the connection closed under it
    }
  }

  @Test
  void aCallerWithNobodyPollingWritesItsOwnCall() throws Exception {
    startServer();
    WriterRecordingLink link = new WriterRecordingLink(
        Transports.connect(Endpoint.parse(server.address()), Duration.ofSeconds(10)));
    connection = ClientConnection.open(link, TetherOptions.defaults().withSpin(Duration.ZERO));
    Hold hold = RemoteObjectHandler.proxy(connection, Hold.class, "hold");
    Thread leader = Thread.ofPlatform().name("caller-a").start(() -> call(hold, 1));
    Await.until(() -> connection.replies().isLeader(leader), "the first caller leads");
    int before = link.writers().size();
    Thread follower = Thread.ofPlatform().name("caller-b").start(() -> call(hold, 2));
    Await.until(() -> running.get() == 2, "the second call reaches the server");
    assertThat(link.writers().subList(before, link.writers().size()))
        .as("a leader blocked in its wait gathers nothing: the caller writes")
        .containsOnly("caller-b");
    release.countDown();
    leader.join(10_000);
    follower.join(10_000);
  }
}
