package dev.tether.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tether.CancelResult;
import dev.tether.Cancellation;
import dev.tether.ErrorCode;
import dev.tether.OrphanedCall;
import dev.tether.Tether;
import dev.tether.TetherAdmin;
import dev.tether.TetherException;
import dev.tether.TetherServer;
import dev.tether.fixtures.Spinner;
import dev.tether.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * However many orphans spin on the CPU, the server keeps serving its admin object and cancels,
 * and either serves new calls or refuses them at once (issue 9: 72 spinners used to wedge it).
 * Every spinner checks a flag the test clears, so nothing burns CPU after a test.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SpinningOrphansTest {
  private static final int SPINNERS = 200;

  @Test
  void twoHundredSpinningOrphansBeyondTheCapLeaveAdminAndCancelsWorkingAndRefuseNewCalls()
      throws Exception {
    Spinner.Impl impl = new Spinner.Impl();
    TetherServer server = TetherServer.builder().export("spin", Spinner.class, impl).start();
    try (Tether client = Tether.connect(server.address())) {
      Spinner.Async spin = client.get(Spinner.Async.class, "spin");
      Spinner sync = client.get(Spinner.class, "spin");
      TetherAdmin admin = client.get(TetherAdmin.class, TetherAdmin.NAME);

      CompletableFuture<Integer> cooperative = spin.awaitCancel();
      Await.until(() -> impl.waiting() == 1, "the cooperative call to run");
      orphanSpinners(spin, impl);

      Await.until(() -> admin.stats().orphansRunning() == SPINNERS, "the admin object to count "
          + SPINNERS + " orphans");
      List<OrphanedCall> orphans = admin.orphans();
      assertThat(orphans).hasSize(SPINNERS)
          .allSatisfy(o -> assertThat(o.method()).isEqualTo("Spinner.spin"));
      assertThat(orphans.get(0).running()).isPositive();
      Await.until(() -> admin.orphans().stream()
          .allMatch(o -> o.sinceCallerLeft().compareTo(Duration.ofMillis(2100)) > 0),
          "the orphans to be stuck (their callers left over 2 s ago)");

      long start = System.nanoTime();
      TetherException refused = catchThrowableOfType(TetherException.class, () -> sync.echo(1));
      long refusedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(refused).as("a new call beyond the orphan cap").isNotNull();
      assertThat(refused.code()).isEqualTo(ErrorCode.SERVER_EXHAUSTED);
      assertThat(refused.getMessage()).contains(SPINNERS + " orphaned calls").contains("64");
      System.out.printf("refused in %d ms with %d spinning orphans%n", refusedMillis, SPINNERS);

      assertThat(Cancellation.cancel(cooperative, Duration.ofSeconds(30)))
          .as("a cancel still reaches a running call").isEqualTo(CancelResult.ACKNOWLEDGED);
    } finally {
      impl.release();
      server.close();
      Await.until(() -> server.stats().callsRunning() == 0, "every spinner to end");
    }
  }

  @Test
  void twoHundredSpinningOrphansUnderTheCapStillLetNewCallsBeServed() throws Exception {
    Spinner.Impl impl = new Spinner.Impl();
    TetherServer server = TetherServer.builder().export("spin", Spinner.class, impl)
        .maxOrphans(SPINNERS + 1).start();
    try (Tether client = Tether.connect(server.address())) {
      Spinner.Async spin = client.get(Spinner.Async.class, "spin");
      Spinner sync = client.get(Spinner.class, "spin");
      TetherAdmin admin = client.get(TetherAdmin.class, TetherAdmin.NAME);
      orphanSpinners(spin, impl);

      Await.until(() -> admin.stats().orphansRunning() == SPINNERS, SPINNERS + " orphans");
      long start = System.nanoTime();
      assertThat(sync.echo(42)).as("a new call gets a thread of its own").isEqualTo(42);
      System.out.printf("served in %d ms with %d spinning orphans%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), SPINNERS);
      CompletableFuture<Integer> cooperative = spin.awaitCancel();
      Await.until(() -> impl.waiting() == 1, "a new cooperative call to run");
      assertThat(Cancellation.cancel(cooperative, Duration.ofSeconds(30)))
          .isEqualTo(CancelResult.ACKNOWLEDGED);
    } finally {
      impl.release();
      server.close();
      Await.until(() -> server.stats().callsRunning() == 0, "every spinner to end");
    }
  }

  @Test
  void youngOrphansBeyondTheCapDoNotRefuseCallsOnlyStuckOnesDo() throws Exception {
    Spinner.Impl impl = new Spinner.Impl();
    TetherServer server = TetherServer.builder().export("spin", Spinner.class, impl)
        .maxOrphans(4).start();
    try (Tether client = Tether.connect(server.address())) {
      Spinner.Async spin = client.get(Spinner.Async.class, "spin");
      Spinner sync = client.get(Spinner.class, "spin");
      TetherAdmin admin = client.get(TetherAdmin.class, TetherAdmin.NAME);
      List<CompletableFuture<Long>> calls = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        calls.add(spin.spin()); // parked at the gate: think of them as winding up after a cancel
      }
      Await.until(() -> impl.spinning() == 10, "the calls to start");
      calls.forEach(c -> c.cancel(true));
      Await.until(() -> admin.stats().orphansRunning() == 10, "10 orphans, over the cap of 4");
      assertThat(sync.echo(7)).as("young orphans are no reason to refuse").isEqualTo(7);

      Await.until(() -> admin.orphans().stream()
          .allMatch(o -> o.sinceCallerLeft().compareTo(Duration.ofMillis(2100)) > 0),
          "the orphans to be stuck");
      TetherException refused = catchThrowableOfType(TetherException.class, () -> sync.echo(8));
      assertThat(refused).as("stuck orphans over the cap").isNotNull();
      assertThat(refused.code()).isEqualTo(ErrorCode.SERVER_EXHAUSTED);
      assertThat(refused.getMessage()).contains("10 orphaned calls").contains("cap is 4");
    } finally {
      impl.release();
      server.close();
      Await.until(() -> server.stats().callsRunning() == 0, "every call to end");
    }
  }

  /** Starts the spinners, lets them all spin, and abandons each (caller released at once). */
  private static void orphanSpinners(Spinner.Async spin, Spinner.Impl impl) throws Exception {
    List<CompletableFuture<Long>> calls = new ArrayList<>();
    for (int i = 0; i < SPINNERS; i++) {
      calls.add(spin.spin());
    }
    Await.until(() -> impl.spinning() == SPINNERS, "every spin call to start");
    impl.startSpinning(); // all at once: thread starts do not compete with spinners
    for (CompletableFuture<Long> c : calls) {
      c.cancel(true); // no grace: the caller is released and the server makes it an orphan
    }
  }
}
