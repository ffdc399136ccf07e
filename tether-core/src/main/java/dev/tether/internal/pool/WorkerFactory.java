package dev.tether.internal.pool;

/** Starts one worker for the pool. Called off the pool's lock, possibly from several threads. */
@FunctionalInterface
public interface WorkerFactory {
  /**
   * Starts a worker and returns it connected.
   *
   * @throws dev.tether.TetherException when the worker cannot start (e.g. WorkerStartException)
   */
  WorkerHandle start();
}
