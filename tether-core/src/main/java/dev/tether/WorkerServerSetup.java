package dev.tether;

/**
 * Configures the server of a worker started by {@link Tether#launch}, inside the worker's JVM, so
 * a launched worker can have what a hand-built {@link TetherServer} has: a
 * {@link TetherServer.Builder#concurrencyLimit ConcurrencyLimit}, an
 * {@link TetherServer.Builder#incomingCallFilter IncomingCallFilter}, a
 * {@link TetherServer.Builder#callListener CallListener}, more call threads, or more exported
 * objects (ones that need constructor arguments).
 *
 * <p>Named in {@link WorkerSpec.Builder#serverSetup(Class)}; the worker creates one instance with
 * the public no-argument constructor and calls {@link #configure} once, on its main thread,
 * before the launcher's own settings are applied: the worker's private Unix socket, the spec's
 * exports, its frame limit and spin time. An address the setup adds is listened on as well (a
 * TCP one needs TLS or a shared secret, as anywhere). A setup that throws, or a class that cannot
 * be created, makes {@link Tether#launch} fail with a {@link WorkerStartException} whose message
 * has the worker's standard error, which names the cause. A supervised worker runs it again at
 * each restart.
 */
@FunctionalInterface
public interface WorkerServerSetup {
  /**
   * Configures {@code server} before it starts.
   *
   * @param server the worker's server builder; do not keep it
   * @throws Exception to stop the worker from starting (the launch fails with it)
   */
  void configure(TetherServer.Builder server) throws Exception;
}
