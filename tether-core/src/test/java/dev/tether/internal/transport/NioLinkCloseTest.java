package dev.tether.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NioLinkCloseTest {

  @Test
  void closingFromManyThreadsAtOnceReleasesResourcesExactlyOnce() throws Exception {
    for (int round = 0; round < 200; round++) {
      Pipe pipe = Pipe.open();
      AtomicInteger releases = new AtomicInteger();
      NioLink link = new NioLink(pipe.source(), pipe.sink(), "test", Link.WRITE_STALL_NANOS,
          pipe.source(), pipe.sink(), releases::incrementAndGet);
      int threads = 4;
      CountDownLatch ready = new CountDownLatch(threads);
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> closers = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        closers.add(Thread.ofPlatform().start(() -> {
          ready.countDown();
          try {
            go.await();
          } catch (InterruptedException e) {
            return;
          }
          link.close();
        }));
      }
      ready.await();
      go.countDown();
      for (Thread t : closers) {
        t.join(TimeUnit.SECONDS.toMillis(10));
      }
      assertThat(releases).as("round %d", round).hasValue(1);
    }
  }
}
