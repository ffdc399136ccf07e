package dev.tether.internal.supervise;

import dev.tether.ConnectionClosedException;
import dev.tether.SupervisionStats;
import dev.tether.internal.client.ClientConnection;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The handle of {@code Tether.connect}: one connection, no supervision, and the executor-style
 * lifecycle. Thread-safe; the shutdown flag is the only state a call reads.
 */
public final class ServerHandle implements HandleCore {
  private final ClientConnection connection;
  private final String address;
  private final CountDownLatch terminated = new CountDownLatch(1);
  private volatile boolean shutdown;

  /** Wraps an open connection. */
  public ServerHandle(ClientConnection connection, String address) {
    this.connection = connection;
    this.address = address;
  }

  @Override
  public String address() {
    return address;
  }

  @Override
  public ClientConnection current() {
    if (shutdown) {
      throw new ConnectionClosedException("the handle to " + connection.peer()
          + " is closed or shut down: it takes no new calls", null);
    }
    return connection;
  }

  @Override
  public String describe() {
    return connection.peer();
  }

  @Override
  public boolean isOpen() {
    return !shutdown && connection.isOpen();
  }

  @Override
  public int pendingCalls() {
    return connection.pendingCount();
  }

  @Override
  public long discardedAnswers() {
    return connection.lateAnswers();
  }

  @Override
  public Optional<ProcessHandle> worker() {
    return Optional.empty();
  }

  @Override
  public Optional<SupervisionStats> supervision() {
    return Optional.empty();
  }

  @Override
  public void shutdown() {
    shutdown = true;
    connection.whenIdle(() -> Thread.ofVirtual().name("tether-shutdown").start(this::closeNow));
  }

  @Override
  public void shutdownNow() {
    shutdown = true;
    closeNow();
  }

  private void closeNow() {
    connection.close("connection closed by this client (shut down)");
    terminated.countDown();
  }

  @Override
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public Duration closeBound() {
    return Duration.ofSeconds(5);
  }
}
