package dev.tether.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One JVM of {@link ThroughputAbBench}: the client of one system (its server in a JVM of its own,
 * started as {@code ./tether bench} starts it) with 16 caller threads (or as many as given) that
 * call {@code echo(int)}
 * in a loop only while a block is timed, and wait on a semaphore otherwise, so a JVM that is not
 * being timed leaves the CPU to the one that is.
 *
 * <p>Protocol (standard input and output, one line each): after the warm-up it prints
 * {@code READY}; for each {@code BLOCK millis} it runs the callers for a short untimed ramp, then
 * counts the calls completed in {@code millis} and prints {@code OPS callsPerSecond}, followed by
 * {@code P50 nanos} (the median round trip of the block) when it runs one caller; {@code QUIT}
 * ends it. It uses only what {@code ./tether bench} itself uses ({@link BenchMain#create},
 * {@link SystemBench#scaleTarget()}), so it also runs against an older jar put first on the class
 * path (the A/B of two builds). The reading thread drives; the callers only count.
 */
public final class ThroughputAbPeer {
  /** Caller threads by default: the {@code throughput_16} row's. */
  static final int CALLERS = 16;

  private final int callers;

  private final Measure.Call call;
  private final Semaphore go = new Semaphore(0);
  private final LongAdder done = new LongAdder();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean running;
  private volatile boolean counting;
  private final Semaphore parked = new Semaphore(0);
  /** Round trips of the block, with one caller only (null otherwise); written by that caller. */
  private final long[] times;
  private int timed;

  private ThroughputAbPeer(Measure.Call call, int callers) {
    this.call = call;
    this.callers = callers;
    this.times = callers == 1 ? new long[1 << 20] : null;
    for (int i = 0; i < callers; i++) {
      Thread.ofPlatform().daemon().name("ab-caller-" + i).start(this::callerLoop);
    }
  }

  /** Entry point: {@code SYSTEM WARMUP_MILLIS [CALLERS]} (16 callers when not given). */
  public static void main(String[] args) throws Exception {
    String system = args[0];
    long warmupMillis = Long.parseLong(args[1]);
    int callers = args.length > 2 ? Integer.parseInt(args[2]) : CALLERS;
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (SystemBench bench = BenchMain.create(system, BenchPlan.of(true, 0))) {
      bench.open();
      Measure.Call echo = bench.echoCall(callers);
      if (echo == null) {
        throw new IllegalArgumentException(system + " has no echo call for " + callers
            + " caller(s) to drive");
      }
      ThroughputAbPeer peer = new ThroughputAbPeer(echo, callers);
      peer.block(0, warmupMillis); // the same warm-up, with the same callers, for every system
      out.println("READY");
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
          StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null && !line.equals("QUIT");
          line = in.readLine()) {
        long millis = Long.parseLong(line.substring("BLOCK ".length()).trim());
        double ops = peer.block(Math.min(50, millis / 4), millis);
        out.println("OPS " + ops + (peer.times == null ? "" : " P50 " + peer.medianTime()));
      }
    }
    System.exit(0);
  }

  /**
   * Runs the callers for {@code rampMillis} untimed, then for {@code millis} counted (longer if
   * no call has completed by then, until one has, at most
   * {@link Measure#QUICK_EXTENSION_SECONDS}), then stops them and waits (bounded) until every
   * caller is back on the semaphore. Returns calls per second over the counted part.
   */
  private double block(long rampMillis, long millis) throws Exception {
    done.reset();
    timed = 0;
    running = true;
    go.release(callers);
    Thread.sleep(rampMillis); // the timing itself, not synchronisation
    counting = true;
    long t0 = System.nanoTime();
    Thread.sleep(millis);
    // a block with no call completed would make a ratio of 0 or infinity (seen in CI); a system
    // that stalls still shows as a very low rate
    Measure.awaitFirstCall(done, failure, t0);
    counting = false;
    long elapsed = System.nanoTime() - t0;
    long calls = done.sum();
    running = false;
    if (!parked.tryAcquire(callers, 30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("a caller did not come back within 30 s");
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a caller failed: " + failure.get(), failure.get());
    }
    return calls * 1e9 / elapsed;
  }

  /** The median of the last block's round trips (one caller; read after it came back). */
  private long medianTime() {
    long[] t = Arrays.copyOf(times, timed);
    Arrays.sort(t);
    return t.length == 0 ? 0 : t[t.length / 2];
  }

  private void callerLoop() {
    while (true) {
      go.acquireUninterruptibly();
      try {
        while (running) {
          long t0 = times == null ? 0 : System.nanoTime(); // many callers: no clock per call
          call.call();
          if (counting) {
            done.increment();
            if (times != null && timed < times.length) {
              times[timed++] = System.nanoTime() - t0;
            }
          }
        }
      } catch (Throwable t) {
        failure.compareAndSet(null, t);
      }
      parked.release();
    }
  }
}
