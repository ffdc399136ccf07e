package dev.tether.cli.demo;

import dev.tether.CallCancelledException;
import dev.tether.CancelResult;
import dev.tether.ConcurrencyLimit;
import dev.tether.PendingCallWatch;
import dev.tether.RetryPolicy;
import dev.tether.ServerBusyException;
import dev.tether.Tether;
import dev.tether.TetherOptions;
import dev.tether.TetherServer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The demo's message-filter scene (COM's IMessageFilter): a pending-call listener that offers to
 * cancel a call still pending after 500 ms, and does; then a busy server with a concurrency limit
 * shedding load, callers without and with a retry policy.
 */
final class FilterScene {
  private static final int CALLERS = 32;
  private static final int LIMIT = 4;

  private final PrintStream out;

  FilterScene(PrintStream out) {
    this.out = out;
  }

  void run() throws Exception {
    out.println("Message filters (COM's IMessageFilter)");
    listenerOffersToCancel();
    busyServerShedsLoad();
    out.println();
  }

  private void listenerOffersToCancel() throws Exception {
    TetherServer server = TetherServer.builder()
        .export("demo", DemoService.class, new DemoServiceImpl()).start();
    java.util.concurrent.CompletableFuture<CancelResult> answer =
        new java.util.concurrent.CompletableFuture<>();
    PendingCallWatch offer = new PendingCallWatch(Duration.ofMillis(500), Duration.ofSeconds(1),
        call -> {
          out.printf("   listener (on %s): %s.%s still pending after %d ms - cancel? yes%n",
              Thread.currentThread().isVirtual() ? "a virtual thread" : "a platform thread",
              call.iface().getSimpleName(), call.method().getName(), call.elapsed().toMillis());
          answer.complete(call.canceller().cancel(Duration.ofSeconds(2)));
        });
    try (Tether client = Tether.connect(server.address(),
        TetherOptions.defaults().withPendingCallWatch(offer))) {
      DemoService demo = client.get(DemoService.class, "demo");
      long t0 = System.nanoTime();
      try {
        demo.cooperativeWork(10_000);
        out.println("   cooperativeWork finished: NOT EXPECTED");
      } catch (CallCancelledException e) {
        out.printf("   cooperativeWork(10 s) -> %s after %d ms; the listener's cancel -> %s%n",
            e.acknowledged() ? "CallCancelledException (acknowledged)" : e.toString(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
            answer.get(10, TimeUnit.SECONDS));
      }
    } finally {
      server.close();
    }
  }

  private void busyServerShedsLoad() throws Exception {
    DemoServiceImpl impl = new DemoServiceImpl();
    TetherServer server = TetherServer.builder().export("demo", DemoService.class, impl)
        .concurrencyLimit(ConcurrencyLimit.fixed(LIMIT)).start();
    try {
      out.printf("   server limited to %d calls in flight; %d callers each call stubbornWork(20 ms)"
          + " at once%n", LIMIT, CALLERS);
      burst(server, RetryPolicy.none(), "no retries");
      RetryPolicy retries = RetryPolicy.defaults().withMaxAttempts(10)
          .withBackoff(Duration.ofMillis(10), Duration.ofMillis(200), 2);
      burst(server, retries, "retries");
      out.println("   (the default budget, 10 % of calls + 10 a second, lets a burst like this"
          + " retry only a little: it keeps retries from amplifying an overload)");
      burst(server, retries.withMaxAttempts(20).withBudget(1.0, 100), "more budget");
    } finally {
      server.close();
    }
  }

  private void burst(TetherServer server, RetryPolicy policy, String label) throws Exception {
    AtomicInteger served = new AtomicInteger();
    AtomicInteger busy = new AtomicInteger();
    AtomicReference<String> why = new AtomicReference<>();
    long t0 = System.nanoTime();
    try (Tether client = Tether.connect(server.address(),
        TetherOptions.defaults().withRetryPolicy(policy))) {
      DemoService demo = client.get(DemoService.class, "demo");
      ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
      try {
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
          calls.add(threads.submit(() -> {
            try {
              demo.stubbornWork(20);
              served.incrementAndGet();
            } catch (ServerBusyException e) {
              busy.incrementAndGet();
              why.compareAndSet(null, e.stoppedBecause() + ", " + e.code());
            }
            return null;
          }));
        }
        for (Future<?> f : calls) {
          f.get(60, TimeUnit.SECONDS);
        }
      } finally {
        threads.shutdownNow();
      }
    }
    out.printf("   %-11s: %2d served, %2d refused as busy%s in %d ms%n", label, served.get(),
        busy.get(), why.get() == null ? "" : " (ServerBusyException: " + why.get()
            + "; those never ran)", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
  }
}
