package dev.tether.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server's listener notification thread: in order, bounded, never waited for. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ListenerDispatchTest {
  private final ListenerDispatch dispatch =
      new ListenerDispatch(System.getLogger("dev.tether.server"));

  @Test
  void runsTasksInTheOrderTheyWereSubmittedOnItsOwnThread() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(100);
    for (int i = 0; i < 100; i++) {
      int n = i;
      assertThat(dispatch.submit(() -> {
        ran.add(n + " " + Thread.currentThread().getName());
        done.countDown();
      })).isTrue();
    }
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < 100; i++) {
      assertThat(ran.get(i)).isEqualTo(i + " tether-call-listener");
    }
  }

  @Test
  void aFullQueueDropsAndCountsWithoutWaiting() throws Exception {
    CountDownLatch blocking = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    dispatch.submit(() -> {
      blocking.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertThat(blocking.await(10, TimeUnit.SECONDS)).isTrue(); // the thread is held up
    CountDownLatch allRan = new CountDownLatch(ListenerDispatch.CAPACITY);
    for (int i = 0; i < ListenerDispatch.CAPACITY; i++) {
      assertThat(dispatch.submit(allRan::countDown)).isTrue();
    }
    assertThat(dispatch.submit(allRan::countDown)).as("one over the bound").isFalse();
    assertThat(dispatch.submit(allRan::countDown)).isFalse();
    assertThat(dispatch.dropped()).isEqualTo(2);

    release.countDown();
    assertThat(allRan.await(10, TimeUnit.SECONDS)).as("everything queued still runs").isTrue();
    CountDownLatch after = new CountDownLatch(1);
    assertThat(dispatch.submit(after::countDown)).as("room again").isTrue();
    assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aTaskThatThrowsDoesNotStopTheOnesAfterIt() throws Exception {
    CountDownLatch after = new CountDownLatch(1);
    dispatch.submit(() -> {
      throw new IllegalStateException("a listener's bug");
    });
    dispatch.submit(after::countDown);
    assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void itsThreadEndsWhenIdleAndANewSubmitStartsAnother() throws Exception {
    CountDownLatch first = new CountDownLatch(1);
    Thread[] firstThread = new Thread[1];
    dispatch.submit(() -> {
      firstThread[0] = Thread.currentThread();
      first.countDown();
    });
    assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
    firstThread[0].join(TimeUnit.SECONDS.toMillis(20)); // ends after ~100 ms of empty polls
    assertThat(firstThread[0].isAlive()).as("an idle dispatcher holds no thread").isFalse();

    CountDownLatch second = new CountDownLatch(1);
    dispatch.submit(second::countDown);
    assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
  }
}
