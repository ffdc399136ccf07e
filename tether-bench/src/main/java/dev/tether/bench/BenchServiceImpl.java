package dev.tether.bench;

import dev.tether.Cancellation;
import dev.tether.Registration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Tether's side of the benchmark service (the server decides where each call runs). */
public final class BenchServiceImpl implements BenchService {
  private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

  /** Created by the worker (or {@link ServerMain}) with this public constructor. */
  public BenchServiceImpl() {}

  @Override
  public int echo(int v) {
    return v;
  }

  @Override
  public Payload echoPayload(Payload p) {
    return p;
  }

  @Override
  @SuppressWarnings("try") // the registration only needs closing
  public int block(int seq) {
    CountDownLatch cancelled = new CountDownLatch(1);
    try (Registration r = Cancellation.onCancel(cancelled::countDown)) {
      StartSignal.started(seq);
      cancelled.await(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  @Override
  public long spinUntilCancelled(int seq) {
    StartSignal.started(seq);
    return ServerCounters.spinUntil(Cancellation::isCancelled, MINUTE_NANOS);
  }

  @Override
  public CompletableFuture<Integer> awaitCancel() {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    ServerCounters.INSTANCE.started();
    // Runs on the virtual thread Tether starts for the call's callbacks: count, then end.
    Cancellation.onCancel(() -> {
      ServerCounters.INSTANCE.observed();
      f.cancel(false);
    });
    return f;
  }

  @Override
  public void resetCancelCount(int n) {
    ServerCounters.INSTANCE.reset(n);
  }

  @Override
  public CancelProgress cancelProgress() {
    return ServerCounters.INSTANCE.progress();
  }
}
