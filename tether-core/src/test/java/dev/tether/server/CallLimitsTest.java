package dev.tether.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tether.ErrorCode;
import dev.tether.Tether;
import dev.tether.TetherAdmin;
import dev.tether.TetherException;
import dev.tether.TetherServer;
import dev.tether.fixtures.Spinner;
import dev.tether.testing.Await;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Past maxCallThreads a call is refused at once; the admin object still answers. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CallLimitsTest {

  @Test
  void aCallBeyondMaxCallThreadsIsRefusedAtOnceAndTheAdminObjectStillAnswers() throws Exception {
    Spinner.Impl impl = new Spinner.Impl();
    TetherServer server = TetherServer.builder().export("spin", Spinner.class, impl)
        .maxCallThreads(2).start();
    try (Tether client = Tether.connect(server.address())) {
      Spinner.Async spin = client.get(Spinner.Async.class, "spin");
      Spinner sync = client.get(Spinner.class, "spin");
      CompletableFuture<Long> first = spin.spin();
      CompletableFuture<Long> second = spin.spin();
      Await.until(() -> impl.spinning() == 2, "both calls to hold a thread");

      TetherException refused = catchThrowableOfType(TetherException.class, () -> sync.echo(1));
      assertThat(refused.code()).isEqualTo(ErrorCode.SERVER_EXHAUSTED);
      assertThat(refused.getMessage()).contains("2 calls are running").contains("maxCallThreads 2");
      assertThat(client.get(TetherAdmin.class, TetherAdmin.NAME).stats().callsRunning())
          .as("the two spinners and this very call").isEqualTo(3);

      impl.release();
      assertThat(first.get(30, TimeUnit.SECONDS)).isNotNegative();
      assertThat(second.get(30, TimeUnit.SECONDS)).isNotNegative();
      Await.until(() -> server.stats().callsRunning() == 0, "both calls to end");
      assertThat(sync.echo(7)).as("served again once threads are free").isEqualTo(7);
    } finally {
      impl.release();
      server.close();
    }
  }
}
