package dev.tether.cancel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.Cancellation;
import dev.tether.Tether;
import dev.tether.TetherAdmin;
import dev.tether.TetherServer;
import dev.tether.testing.Await;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every call whose caller was released (grace zero) is accounted for exactly once: either its late
 * answer reaches the client, which discards it, or the server drops the answer and counts the call
 * as a finished orphan. Pools rely on this sum to give a released call's slot back; a call that
 * ended between the server hearing the cancel and recording the orphan used to be in neither, and
 * its slot stayed taken until the pool's hung timeout replaced the worker.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReleasedCallAccountingTest {
  private static final int CALLS = 300;

  /** Stops within nanoseconds of hearing the cancel, so it races the server's bookkeeping. */
  public interface Spinner {
    int spinUntilCancelled();
  }

  /** The asynchronous view of {@link Spinner}. */
  public interface SpinnerAsync {
    CompletableFuture<Integer> spinUntilCancelled();
  }

  static final class SpinnerImpl implements Spinner {
    final AtomicInteger started = new AtomicInteger();

    @Override
    public int spinUntilCancelled() {
      started.incrementAndGet();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!Cancellation.isCancelled() && System.nanoTime() - end < 0) {
        Thread.onSpinWait();
      }
      return 1;
    }
  }

  @Test
  void everyForceReleasedCallIsEitherALateAnswerOrAFinishedOrphan() throws Exception {
    SpinnerImpl impl = new SpinnerImpl();
    try (TetherServer server = TetherServer.builder()
            .export("spin", Spinner.class, impl).start();
        Tether client = Tether.connect(server.address())) {
      SpinnerAsync spin = client.get(SpinnerAsync.class, "spin");
      TetherAdmin admin = client.get(TetherAdmin.class, TetherAdmin.NAME);
      for (int i = 1; i <= CALLS; i++) {
        CompletableFuture<Integer> call = spin.spinUntilCancelled();
        int n = i;
        Await.until(() -> impl.started.get() == n, "call " + n + " running");
        assertThat(call.cancel(true)).isTrue(); // grace zero: the caller is released at once
      }
      try {
        Await.until(() -> admin.stats().orphansRunning() == 0
            && client.discardedAnswers() + admin.stats().orphansFinished() == CALLS,
            "every released call answered late or finished as an orphan");
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + ": " + client.discardedAnswers()
            + " late answers + " + admin.stats().orphansFinished() + " finished orphans of "
            + CALLS + " released calls", e);
      }
      assertThat(admin.stats().orphansTotal()).isEqualTo(admin.stats().orphansFinished());
    }
  }
}
