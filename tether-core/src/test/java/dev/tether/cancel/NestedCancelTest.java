package dev.tether.cancel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.CallCancelledException;
import dev.tether.CancelResult;
import dev.tether.Cancellation;
import dev.tether.Tether;
import dev.tether.TetherAdmin;
import dev.tether.e2e.TestWorkers;
import dev.tether.fixtures.EchoService;
import dev.tether.testing.Await;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A call a server makes while serving is cancelled with the call it serves. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NestedCancelTest {

  @Test
  void cancellingTheOuterCallCancelsTheNestedCallInTheNextProcess() throws Exception {
    try (Tether a = TestWorkers.launchEcho(); Tether b = TestWorkers.launchEcho()) {
      EchoService echoA = a.get(EchoService.class, "echo");
      EchoService echoB = b.get(EchoService.class, "echo");
      TetherAdmin adminB = b.get(TetherAdmin.class, TetherAdmin.NAME);

      PendingCaller c = PendingCaller.startRunning(echoB,
          () -> echoA.relayAwaitCancel(b.address(), 60_000));

      assertThat(Cancellation.cancel(c.thread, Duration.ofSeconds(30)))
          .isEqualTo(CancelResult.ACKNOWLEDGED);
      assertThat(c.await()).isInstanceOfSatisfying(CallCancelledException.class,
          e -> assertThat(e.acknowledged()).isTrue());
      // B answered the nested call (it saw the cancel); only the stats call runs there then.
      // B counts the nested call as running until its answer is written, and A may be released
      // by that answer before B's call thread gets to uncount it: wait for it, bounded.
      Await.until(() -> adminB.stats().callsRunning() == 1, "B's nested call to end");
      assertThat(adminB.stats().orphansTotal()).isZero();
    }
  }
}
