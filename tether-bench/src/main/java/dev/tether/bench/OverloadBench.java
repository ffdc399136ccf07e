package dev.tether.bench;

import dev.tether.CancelScope;
import dev.tether.Cancellation;
import dev.tether.ConcurrencyLimit;
import dev.tether.DeadlineExceededException;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Message filters under overload: 200 closed-loop callers, each call with a 100 ms deadline and
 * the default {@link RetryPolicy}, against a server whose method burns 0.5 ms of CPU (about 4,000
 * calls a second on these 2 cores, shared with the callers), once with no limit and once with
 * {@link ConcurrencyLimit#adaptive()}, in the same run. The deadline releases the caller at once
 * (grace zero). Goodput counts calls whose method ran to the end within the deadline; p50/p99
 * are of those calls (retries included); "late" calls hit the deadline, "shed" ones were refused
 * as busy until the retry policy stopped; "method runs" counts the server's work, wasted or not. Run with
 * {@code java -cp tether-bench/target/tether-bench-all.jar dev.tether.bench.OverloadBench [--quick]}.
 */
public final class OverloadBench {
  /** The overloaded service. */
  public interface Burner {
    /** Burns {@code micros} of CPU, stopping early if the call is cancelled; returns 1. */
    int burn(int micros);
  }

  static final class BurnerImpl implements Burner {
    final LongAdder executed = new LongAdder();

    @Override
    public int burn(int micros) {
      executed.increment();
      long end = System.nanoTime() + micros * 1_000L;
      while (System.nanoTime() < end) {
        if (Cancellation.isCancelled()) {
          return 0;
        }
      }
      return 1;
    }
  }

  private static final int CALLERS = 200;
  private static final int BURN_MICROS = 500;
  private static final Duration DEADLINE = Duration.ofMillis(100);

  /** One configuration's results. */
  record Result(String config, double goodput, long p50, long p99, long late, long shed,
      long executed, long seconds) {}

  private final PrintStream progress;
  private final long runNanos;

  OverloadBench(PrintStream progress, boolean quick) {
    this.progress = progress;
    this.runNanos = TimeUnit.SECONDS.toNanos(quick ? 3 : 8);
  }

  /** Runs both configurations and prints a markdown table. */
  public static void main(String[] args) throws Exception {
    boolean quick = List.of(args).contains("--quick");
    OverloadBench b = new OverloadBench(System.err, quick);
    List<Result> rows = new ArrayList<>();
    rows.add(b.run("no limit", null));
    rows.add(b.run("adaptive limit", ConcurrencyLimit.adaptive()));
    System.out.print(markdown(rows));
  }

  static String markdown(List<Result> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("| server | goodput (calls/s answered before their 100 ms deadline fired) | p50 ms | p99 ms | late (deadline) |"
        + " shed (busy) | method runs |\n|---|---|---|---|---|---|---|\n");
    for (Result r : rows) {
      sb.append(String.format("| %s | %.0f | %.1f | %.1f | %d | %d | %d |%n", r.config,
          r.goodput, r.p50 / 1e6, r.p99 / 1e6, r.late, r.shed, r.executed));
    }
    return sb.toString();
  }

  Result run(String config, ConcurrencyLimit limit) throws Exception {
    BurnerImpl impl = new BurnerImpl();
    TetherServer.Builder builder = TetherServer.builder().export("burn", Burner.class, impl);
    if (limit != null) {
      builder.concurrencyLimit(limit);
    }
    TetherServer server = builder.start();
    LongAdder late = new LongAdder();
    LongAdder shed = new LongAdder();
    List<long[]> latencies = new ArrayList<>();
    AtomicLong measuring = new AtomicLong();
    progress.printf("overload: %s, %d callers, %d s...%n", config, CALLERS,
        TimeUnit.NANOSECONDS.toSeconds(runNanos));
    try (Tether client = Tether.connect(server.address(),
        TetherOptions.defaults().withRetryPolicy(RetryPolicy.defaults()))) {
      Burner burner = client.get(Burner.class, "burn");
      long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      long end = warmEnd + runNanos;
      ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
      List<Future<long[]>> callers = new ArrayList<>();
      for (int i = 0; i < CALLERS; i++) {
        callers.add(threads.submit(() -> caller(burner, warmEnd, end, late, shed)));
      }
      for (Future<long[]> f : callers) {
        latencies.add(f.get(5, TimeUnit.MINUTES));
      }
      threads.shutdown();
    } finally {
      server.close();
    }
    Histogram h = new Histogram();
    for (long[] l : latencies) {
      for (long v : l) {
        if (v > 0) {
          h.add(v);
        }
      }
    }
    double seconds = runNanos / 1e9;
    measuring.set(h.count());
    return new Result(config, h.count() / seconds, h.count() == 0 ? 0 : h.percentile(50),
        h.count() == 0 ? 0 : h.percentile(99), late.sum(), shed.sum(), impl.executed.sum(),
        TimeUnit.NANOSECONDS.toSeconds(runNanos));
  }

  /** One closed-loop caller: latencies of its calls answered in time, during measurement. */
  private static long[] caller(Burner burner, long warmEnd, long end, LongAdder late,
      LongAdder shed) {
    long[] out = new long[4096];
    int n = 0;
    long now;
    while ((now = System.nanoTime()) < end) {
      boolean measured = now >= warmEnd;
      try (CancelScope scope = CancelScope.builder().timeout(DEADLINE).grace(Duration.ZERO)
          .open()) {
        int done = burner.burn(BURN_MICROS);
        if (measured && done == 1 && n < out.length) {
          out[n++] = System.nanoTime() - now;
        } else if (measured && done == 0) {
          late.increment(); // stopped by the deadline just as it answered
        }
      } catch (DeadlineExceededException e) {
        if (measured) {
          late.increment();
        }
      } catch (ServerBusyException e) {
        if (measured) {
          shed.increment();
        }
      }
    }
    return java.util.Arrays.copyOf(out, n);
  }
}
