package dev.tether.cli.demo;

import dev.tether.PoolSpec;
import dev.tether.PoolStats;
import dev.tether.TetherPool;
import dev.tether.WorkerSpec;
import dev.tether.cli.Units;
import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The demo's pool scene: many threads on a pool of worker JVMs, one recycled along the way. */
final class PoolScene {
  private static final int THREADS = 8;
  private static final int CALLS = 100;

  private final PrintStream out;

  PoolScene(PrintStream out) {
    this.out = out;
  }

  void run() throws Exception {
    out.println("Worker pool: many threads, several worker JVMs, workers recycled on the way");
    WorkerSpec worker = WorkerSpec.builder()
        .name("demo-pool-worker")
        .export("demo", DemoService.class, DemoServiceImpl.class)
        .build();
    PoolSpec spec = PoolSpec.builder(worker).minWorkers(2).maxWorkers(2).maxCallsPerWorker(4)
        .recycleAfterCalls(300).build();
    long t0 = System.nanoTime();
    try (TetherPool pool = TetherPool.start(spec)) {
      out.printf("   started 2 workers in parallel in %s%n", Units.duration(System.nanoTime() - t0));
      DemoService demo = pool.get(DemoService.class, "demo");
      Map<Long, LongAdder> byPid = new ConcurrentHashMap<>();
      AtomicLong slowest = new AtomicLong();
      t0 = System.nanoTime();
      ExecutorService threads = Executors.newFixedThreadPool(THREADS);
      try {
        Future<?>[] done = new Future<?>[THREADS];
        for (int t = 0; t < THREADS; t++) {
          done[t] = threads.submit(() -> {
            for (int i = 0; i < CALLS; i++) {
              long s = System.nanoTime();
              String hello = demo.greet("pool");
              slowest.accumulateAndGet(System.nanoTime() - s, Math::max);
              long pid = Long.parseLong(hello.substring(hello.lastIndexOf(' ') + 1));
              byPid.computeIfAbsent(pid, p -> new LongAdder()).increment();
            }
            return null;
          });
        }
        for (Future<?> f : done) {
          f.get(60, TimeUnit.SECONDS);
        }
      } finally {
        threads.shutdownNow();
      }
      out.printf("   %d calls from %d threads in %s, every one answered; slowest %s%n",
          THREADS * CALLS, THREADS, Units.duration(System.nanoTime() - t0),
          Units.duration(slowest.get()));
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (pool.stats().recycled() == 0 && System.nanoTime() < until) {
        Thread.sleep(10); // the replacement is a JVM starting; a demo may simply look again
      }
      for (int i = 0; i < 20; i++) {
        String hello = demo.greet("pool");
        long pid = Long.parseLong(hello.substring(hello.lastIndexOf(' ') + 1));
        byPid.computeIfAbsent(pid, p -> new LongAdder()).increment();
      }
      Map<Long, Long> served = new TreeMap<>();
      byPid.forEach((pid, n) -> served.put(pid, n.sum()));
      out.printf("   calls served per worker pid: %s%n", served);
      PoolStats s = pool.stats();
      out.printf("   pool: %d workers, %d started, %d recycled (replacement started first,"
          + " so no call waited for a JVM), %d failed%n", s.workers(), s.started(), s.recycled(),
          s.failed());
    }
    out.println();
  }
}
