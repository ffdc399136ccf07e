package dev.tether.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.testing.Await;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Budgets say who refused, and a release wakes only the readers waiting on what it frees. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ByteBudgetTest {
  private final ByteBudget server = ByteBudget.root(100);
  private final ByteBudget a = server.child(10);
  private final ByteBudget b = server.child(100);

  @Test
  void theBudgetWithoutRoomIsTheOneToWaitOn() {
    assertThat(a.acquireOrBlocker(10, false)).isNull();
    assertThat(a.acquireOrBlocker(1, false)).as("the connection is full").isSameAs(a);
    assertThat(b.acquireOrBlocker(90, false)).isNull();
    assertThat(b.acquireOrBlocker(5, false)).as("the server is full").isSameAs(server);
    assertThat(b.used()).as("nothing counted for a refusal").isEqualTo(90);
    assertThat(b.acquireOrBlocker(5, true)).as("small frames pass the server's limit").isNull();
  }

  @Test
  void aReaderWaitingOnItsConnectionIsNotWokenByReleasesOfOthers() throws Exception {
    a.tryAcquire(10);
    assertThat(a.acquireOrBlocker(1, false)).isSameAs(a);
    Thread waiter = Thread.ofPlatform().start(() -> a.awaitRelease(TimeUnit.SECONDS.toNanos(30)));
    Await.until(() -> waiter.getState() == Thread.State.TIMED_WAITING, "the reader waiting");

    for (int i = 0; i < 1000; i++) { // another connection's calls come and go
      b.tryAcquire(1);
      b.release(1);
    }
    assertThat(waiter.join(Duration.ofMillis(300))).as("woken by nothing it waits for").isFalse();

    a.release(10);
    assertThat(waiter.join(Duration.ofSeconds(10))).as("woken by its own release").isTrue();
  }

  @Test
  void aReaderWaitingOnTheServerIsWokenByAnyConnectionsRelease() throws Exception {
    b.tryAcquire(95);
    assertThat(a.acquireOrBlocker(10, false)).isSameAs(server);
    Thread waiter = Thread.ofPlatform().start(
        () -> server.awaitRelease(TimeUnit.SECONDS.toNanos(30)));
    Await.until(() -> waiter.getState() == Thread.State.TIMED_WAITING, "the reader waiting");

    b.release(95);
    assertThat(waiter.join(Duration.ofSeconds(10))).isTrue();
    assertThat(a.acquireOrBlocker(10, false)).isNull();
  }
}
