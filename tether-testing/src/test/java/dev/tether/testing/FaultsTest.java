package dev.tether.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.CallCancelledException;
import dev.tether.CancelResult;
import dev.tether.CancelScope;
import dev.tether.Cancellation;
import dev.tether.DeadlineExceededException;
import dev.tether.RemoteException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every fault, seen through a real client over the in-memory transport. */
@Timeout(60)
class FaultsTest {
  final Faults<Calc> faults = Faults.around(Calc.class, new Calc.Impl());

  @RegisterExtension
  final TetherExtension tether = TetherExtension.serving("calc", Calc.class, faults.proxy());

  final ExecutorService callers = Executors.newCachedThreadPool();

  @AfterEach
  void releaseEverything() {
    faults.releaseAll();
    callers.shutdownNow();
  }

  /** Calls {@code add(1, 2)} on a caller thread with cancellation enabled. */
  @SuppressWarnings("try") // the registration is only closed
  private Future<Integer> addOnCallerThread(Thread[] caller) {
    CompletableFuture<Thread> started = new CompletableFuture<>();
    Future<Integer> f = callers.submit(() -> {
      try (var enabled = Cancellation.enable()) {
        started.complete(Thread.currentThread());
        return tether.get(Calc.class).add(1, 2);
      }
    });
    caller[0] = started.join();
    return f;
  }

  @Test
  void methodsWithoutAFaultPassThrough() throws Exception {
    faults.on("load").fail(new IOException("disk gone"));
    assertThat(tether.get(Calc.class).add(2, 2)).isEqualTo(4);
    assertThat(faults.on("add").entered()).isZero(); // no fault was configured for add
  }

  @Test
  void aHungCallEndsWhenCancelledAndAcknowledgesTheCancel() throws Exception {
    Fault add = faults.on("add").hang();
    Thread[] caller = new Thread[1];
    Future<Integer> f = addOnCallerThread(caller);
    add.awaitEntered();

    CancelResult r = Cancellation.cancel(caller[0], Duration.ofSeconds(10));

    assertThat(r).isEqualTo(CancelResult.ACKNOWLEDGED);
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(CallCancelledException.class);
    assertThat(add.cancelsSeen()).isEqualTo(1);
    add.awaitExited();
  }

  @Test
  void aCallThatIgnoresTheCancelIsForcedAndStaysAnOrphanUntilReleased() throws Exception {
    Fault add = faults.on("add").hangIgnoringCancel();
    Thread[] caller = new Thread[1];
    Future<Integer> f = addOnCallerThread(caller);
    add.awaitEntered();

    CancelResult r = Cancellation.cancel(caller[0], Duration.ofMillis(50));

    assertThat(r).isEqualTo(CancelResult.FORCED);
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).cause()
        .isInstanceOfSatisfying(CallCancelledException.class, e -> assertThat(e.forced()).isTrue());
    add.awaitCancelSeen();
    assertThat(add.exited()).isZero();
    assertThat(tether.server().server().stats().callsRunning()).isEqualTo(1); // still held

    add.release();
    add.awaitExited();
    assertThat(tether.get(Calc.class).add(3, 4)).isEqualTo(7); // released: passes from now on
  }

  @Test
  void aSlowCallRunsTheRealMethodOnceTheTestReleasesIt() throws Exception {
    Fault add = faults.on("add").delay(Duration.ofMinutes(1));
    Future<Integer> f = callers.submit(() -> tether.get(Calc.class).add(20, 22));
    add.awaitEntered();
    assertThat(f.isDone()).isFalse();

    add.release();

    assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(42);
  }

  @Test
  void aSlowCallRunsTheRealMethodWhenItsDelayElapses() {
    faults.on("add").delay(Duration.ofMillis(20));
    assertThat(tether.get(Calc.class).add(1, 1)).isEqualTo(2);
  }

  @Test
  void aCallerTimeoutCancelsAHungCall() throws Exception {
    Fault add = faults.on("add").hang();
    // long enough for the call to reach the server first even under load (a cancel that
    // overtakes its call skips the method)
    assertThatThrownBy(() -> CancelScope.callWithTimeout(Duration.ofMillis(500),
        () -> tether.get(Calc.class).add(1, 2))).isInstanceOf(DeadlineExceededException.class);
    add.awaitCancelSeen();
    add.awaitExited();
  }

  @Test
  void failingCallsThrowTheGivenException() {
    faults.on("add").fail(new IllegalStateException("overflow"));
    faults.on("load").fail(new IOException("disk gone"));

    assertThatThrownBy(() -> tether.get(Calc.class).add(1, 2))
        .isInstanceOfSatisfying(RemoteException.class, e -> {
          assertThat(e.remoteType()).isEqualTo(IllegalStateException.class.getName());
          assertThat(e.remoteMessage()).isEqualTo("overflow");
        });
    assertThatThrownBy(() -> tether.get(Calc.class).load("k")) // declared: arrives as itself
        .isInstanceOf(IOException.class).hasMessage("disk gone");
  }

  @Test
  void settingTheBehaviourAgainAppliesToTheNextCall() throws Exception {
    Fault add = faults.on("add").fail(new IllegalStateException("down"));
    assertThatThrownBy(() -> tether.get(Calc.class).add(1, 2)).isInstanceOf(RemoteException.class);
    add.passThrough();
    assertThat(tether.get(Calc.class).add(1, 2)).isEqualTo(3);
    assertThat(add.entered()).isEqualTo(2);
  }

  @Test
  void awaitingACallThatNeverComesFailsWithWhatWasSeen() {
    Fault add = faults.on("add").hang();
    assertThatThrownBy(() -> add.awaitEntered(1, Duration.ofMillis(20)))
        .isInstanceOf(AssertionError.class).hasMessageContaining("Calc.add")
        .hasMessageContaining("entered 0");
  }

  @Test
  void aHeldCallFailsAtTheHoldLimitInsteadOfLeakingItsThread() throws Exception {
    faults.holdLimit(Duration.ofMillis(50));
    faults.on("add").hangIgnoringCancel();
    assertThatThrownBy(() -> tether.get(Calc.class).add(1, 2))
        .isInstanceOfSatisfying(RemoteException.class,
            e -> assertThat(e.remoteMessage()).contains("hold limit"));
  }

  @Test
  void unknownMethodsAreRefused() {
    assertThatThrownBy(() -> faults.on("subtract")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("subtract");
  }
}
