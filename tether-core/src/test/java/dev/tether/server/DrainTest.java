package dev.tether.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.Tether;
import dev.tether.TetherServer;
import dev.tether.fixtures.EchoService;
import dev.tether.fixtures.EchoServiceAsync;
import dev.tether.fixtures.EchoServiceImpl;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A call the server finishes while it drains delivers its answer to the caller. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DrainTest {
  private static final int CALLS = 4;

  /** Blocks in {@code echo} until released, so the test decides when calls finish. */
  private static final class Gate extends EchoServiceImpl {
    final CountDownLatch started = new CountDownLatch(CALLS);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public int echo(int x) {
      started.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return x;
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"unix", "mem"})
  void callsFinishedDuringTheDrainDeliverTheirAnswers(String transport) throws Exception {
    for (int round = 0; round < 100; round++) {
      Gate gate = new Gate();
      TetherServer.Builder b = TetherServer.builder().export("echo", EchoService.class, gate);
      if (transport.equals("mem")) {
        b.listen("mem:drain-" + round + "-" + System.nanoTime());
      }
      TetherServer server = b.start();
      try (Tether client = Tether.connect(server.address())) {
        EchoServiceAsync echo = client.get(EchoServiceAsync.class, "echo");
        List<CompletableFuture<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
          answers.add(echo.echo(round * 10 + i));
        }
        assertThat(gate.started.await(30, TimeUnit.SECONDS)).as("calls running").isTrue();
        Thread closer = Thread.ofPlatform().name("test-closer").start(server::close);
        gate.release.countDown(); // races with the drain: before, during or after the GOAWAY
        for (int i = 0; i < CALLS; i++) {
          assertThat(answers.get(i).get(30, TimeUnit.SECONDS))
              .as("round %d call %d", round, i).isEqualTo(round * 10 + i);
        }
        closer.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(closer.isAlive()).isFalse();
      } finally {
        server.close();
      }
    }
  }
}
