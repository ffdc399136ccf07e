package dev.tether;

import dev.tether.internal.pool.WorkerHandle;
import java.time.Duration;

/**
 * A launched {@link Tether} as a member of a {@link TetherPool}. The pool sees only this adapter,
 * so supervision of the handle (restarts under the same handle) can be wired here.
 */
final class LaunchedWorker implements WorkerHandle {
  private final Tether tether;
  private volatile TetherAdmin admin;

  LaunchedWorker(Tether tether) {
    this.tether = tether;
  }

  @Override
  public <T> T proxy(Class<T> iface, String name) {
    return tether.get(iface, name);
  }

  @Override
  public boolean isOpen() {
    return tether.isOpen();
  }

  @Override
  public long discardedAnswers() {
    return tether.discardedAnswers();
  }

  @Override
  public ServerStats adminStats(Duration timeout) {
    // A child of the caller's scope: the caller's cancel ends the check too. No grace: a worker
    // that does not answer in time has failed the check.
    try (CancelScope check = CancelScope.builder().timeout(timeout).grace(Duration.ZERO).open()) {
      TetherAdmin a = admin;
      if (a == null) {
        a = tether.get(TetherAdmin.class, TetherAdmin.NAME);
        admin = a;
      }
      return a.stats();
    }
  }

  @Override
  public void close() {
    tether.close();
  }

  @Override
  public String toString() {
    return tether.toString();
  }
}
