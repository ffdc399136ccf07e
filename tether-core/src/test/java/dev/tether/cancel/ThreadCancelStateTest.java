package dev.tether.cancel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.Cancellation;
import dev.tether.internal.cancel.ThreadCancelState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The per-thread COM state is dropped when nothing is left, and swept for dead threads. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ThreadCancelStateTest {

  @Test
  void stateIsDroppedWhenTheLastRegistrationCloses() {
    try (var r = Cancellation.enable()) {
      assertThat(ThreadCancelState.of(Thread.currentThread())).isNotNull();
    }
    assertThat(ThreadCancelState.of(Thread.currentThread())).isNull();
  }

  @Test
  void threadsThatDiedWithCancellationEnabledAreForgotten() throws Exception {
    List<Thread> leaky = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Thread t = Thread.ofPlatform().start(() -> Cancellation.enable()); // never closed
      t.join();
      leaky.add(t);
    }
    for (int i = 0; i < 200; i++) { // new states trigger the sweep
      Thread t = Thread.ofPlatform().start(() -> Cancellation.enable());
      t.join();
    }
    long remembered = leaky.stream().filter(t -> ThreadCancelState.of(t) != null).count();
    assertThat(remembered).isLessThan(leaky.size());
  }
}
