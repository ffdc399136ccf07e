package dev.tether;

import dev.tether.internal.pool.WorkerHandle;
import java.time.Duration;

/**
 * A launched {@link Tether} as a member of a {@link TetherPool}. The pool sees only this adapter,
 * so supervision of the handle (restarts under the same handle) can be wired here.
 */
final class LaunchedWorker implements WorkerHandle {
  private final Tether tether;
  private final TetherAdmin admin;

  /**
   * Adopts a freshly launched worker and resolves its admin object now, while it is starting:
   * resolving is bounded only by the handshake timeout, so a health check must never need it.
   * Closes the worker if that fails.
   */
  LaunchedWorker(Tether tether) {
    this.tether = tether;
    try {
      this.admin = tether.get(TetherAdmin.class, TetherAdmin.NAME);
    } catch (RuntimeException e) {
      tether.close();
      throw e;
    }
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
      return admin.stats();
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
