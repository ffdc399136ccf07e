package dev.tether.cancel;

import dev.tether.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.CallCancelledException;
import dev.tether.CancelResult;
import dev.tether.Cancellation;
import dev.tether.OrphanedCall;
import dev.tether.ServerStats;
import dev.tether.Tether;
import dev.tether.TetherAdmin;
import dev.tether.e2e.TestWorkers;
import dev.tether.fixtures.EchoService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A server method that ignores cancellation runs on as an orphan; the server accounts for it. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OrphanTest {

  @Test
  void uncooperativeCallRunsOnAsAnOrphanAndItsAnswerIsDropped() throws Exception {
    try (Tether worker = TestWorkers.launchEcho()) {
      EchoService echo = worker.get(EchoService.class, "echo");
      TetherAdmin admin = worker.get(TetherAdmin.class, TetherAdmin.NAME);

      PendingCaller c = PendingCaller.startRunning(echo, () -> echo.sleep(1_500));
      assertThat(Cancellation.cancel(c.thread, Duration.ofMillis(100))).isEqualTo(CancelResult.FORCED);
      assertThat(c.await()).isInstanceOf(CallCancelledException.class);

      Await.until(() -> admin.stats().orphansRunning() == 1, "one running orphan");
      List<OrphanedCall> orphans = admin.orphans();
      assertThat(orphans).singleElement().satisfies(o -> {
        assertThat(o.method()).isEqualTo("EchoService.sleep");
        assertThat(o.running()).isPositive();
      });
      assertThat(echo.echo(5)).as("the connection stays usable").isEqualTo(5);

      Await.until(() -> admin.stats().orphansFinished() == 1, "the orphan to finish");
      ServerStats s = admin.stats();
      assertThat(s.orphansRunning()).isZero();
      assertThat(s.orphansTotal()).isEqualTo(1);
      assertThat(worker.pendingCalls()).isZero();
    }
  }

  @Test
  void clientThatDisconnectsLeavesItsRunningCallsAsOrphans() throws Exception {
    try (Tether worker = TestWorkers.launchEcho()) {
      TetherAdmin admin = worker.get(TetherAdmin.class, TetherAdmin.NAME);
      Tether second = Tether.connect(worker.address());
      EchoService echo = second.get(EchoService.class, "echo");
      PendingCaller c = PendingCaller.startRunning(echo, () -> echo.sleep(1_000));
      second.close();
      assertThat(c.await()).isInstanceOf(dev.tether.ConnectionClosedException.class);
      Await.until(() -> admin.stats().orphansTotal() == 1, "one orphan");
      Await.until(() -> admin.stats().orphansFinished() == 1, "the orphan to finish");
    }
  }

}
