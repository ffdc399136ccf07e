package dev.tether.bench;

import dev.tether.CallCancelledException;
import dev.tether.CancelResult;
import dev.tether.Cancellation;
import dev.tether.Registration;
import dev.tether.Tether;
import dev.tether.TetherOptions;
import dev.tether.WorkerSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Tether itself: over its default Unix-domain socket to a worker started with
 * {@link Tether#launch}, or over loopback TCP (plain, or with TLS 1.3) to a {@code TetherServer}
 * in a {@link ServerProcess}.
 */
public final class TetherBench extends SystemBench {
  private static final Duration OBSERVE_GRACE = Duration.ofSeconds(10);

  private final boolean tcp;
  private final boolean tls;
  /** Spinning off on both sides: the idle strategy that never polls (issue 14's floor target). */
  private final boolean nospin;
  private ServerProcess server;
  private Tether tether;
  private BenchService svc;
  /** TLS rows only: a plain TCP server in its own JVM, measured in blocks between TLS blocks. */
  private ServerProcess plainServer;
  private Tether plainTether;
  private BenchService plainSvc;

  /** System property with Tether's idle strategy (spin nanoseconds) for client and server. */
  public static final String SPIN_PROPERTY = "tether.bench.spinNanos";

  /**
   * Tether's options for this run: its defaults, or the spin given by {@code --tether-spin}; TCP
   * rows run explicitly insecure plain TCP (no TLS, no secret), as the TCP peers do.
   */
  static TetherOptions options() {
    String spin = System.getProperty(SPIN_PROPERTY);
    TetherOptions o = TetherOptions.defaults().withInsecurePlaintextTcp();
    return spin == null ? o : o.withSpin(Duration.ofNanos(Long.parseLong(spin)));
  }

  /** {@link #options()}, with spinning off for the {@code -nospin} systems. */
  private TetherOptions ownOptions() {
    return nospin ? options().withSpin(Duration.ZERO) : options();
  }

  /** Tether over Unix-domain sockets ({@code tcp == false}) or loopback TCP. */
  public TetherBench(boolean tcp, BenchPlan plan) {
    this(tcp, false, plan);
  }

  /** Tether over loopback TCP with TLS 1.3 when {@code tls}. */
  public TetherBench(boolean tcp, boolean tls, BenchPlan plan) {
    super(tls ? Table.TETHER_TLS : tcp ? Table.TETHER_TCP : Table.TETHER, plan);
    this.tcp = tcp || tls;
    this.tls = tls;
    this.nospin = false;
  }

  /**
   * Tether with spinning off on client and server ({@code TetherOptions.withSpin(ZERO)},
   * {@code TetherServer.Builder.spin(ZERO)}): {@code tether-uds-nospin} or
   * {@code tether-tcp-nospin}, for the round trip against the blocking raw floor.
   */
  static TetherBench nospin(boolean tcp, BenchPlan plan) {
    return new TetherBench(tcp, plan, true);
  }

  private TetherBench(boolean tcp, BenchPlan plan, boolean nospin) {
    super(tcp ? Table.TETHER_TCP_NOSPIN : Table.TETHER_NOSPIN, plan);
    this.tcp = tcp;
    this.tls = false;
    this.nospin = nospin;
  }

  @Override
  protected void start() throws Exception {
    if (tls) {
      java.nio.file.Path store = BenchTls.makeKeyStore();
      server = startServer("tether-tls", "-D" + BenchTls.KEYSTORE_PROPERTY + "=" + store);
      tether = Tether.connect(server.address(), options().withTls(BenchTls.client(store)));
      plainServer = startServer("tether-tcp");
      plainTether = Tether.connect(plainServer.address(), options());
      plainSvc = plainTether.get(BenchService.class, "svc");
    } else if (tcp) {
      server = startServer(nospin ? "tether-tcp-nospin" : "tether-tcp");
      tether = Tether.connect(server.address(), ownOptions());
    } else {
      tether = Tether.launch(WorkerSpec.builder()
          .name("bench")
          .export("svc", BenchService.class, BenchServiceImpl.class)
          .jvmArgs(ServerProcess.SERVER_JVM_ARGS.toArray(String[]::new))
          .jvmArgs(signal.jvmArg())
          .startTimeout(Duration.ofSeconds(60))
          .forwardOutput(false)
          .options(ownOptions())
          .build());
    }
    svc = tether.get(BenchService.class, "svc");
  }

  @Override
  protected List<Row> measure(Metric m) throws Exception {
    Payload payload = Payload.sample();
    if (tls && m != Metric.RTT && m != Metric.RTT_RECORD && m != Metric.THROUGHPUT_16) {
      return one(Row.notApplicable(name, m, "TLS rows measure the round trip and throughput; "
          + "cancellation is the same machinery as tether-tcp"));
    }
    if (nospin && m != Metric.RTT && m != Metric.RTT_RECORD && m != Metric.THROUGHPUT_16) {
      return one(Row.notApplicable(name, m, "spin-off rows measure the round trip (against the "
          + "blocking raw floor) and throughput; the other rows use the default idle strategy"));
    }
    return switch (m) {
      case RTT -> one(tls ? interleaved() : latencyRow(m, Measure.latency(plan, () -> svc.echo(7)),
          ""));
      case RTT_RECORD -> one(latencyRow(m, Measure.latency(plan, () -> svc.echoPayload(payload)),
          ""));
      case THROUGHPUT_16 -> one(tls ? throughputBeside()
          : throughputRow(() -> svc.echo(7), "16 threads, one connection"));
      case CANCEL_RELEASE, CANCEL_RELEASE_COLD -> one(cancelRow(m, new ReleaseProbe(),
          "Cancellation.cancel(thread, ZERO) until the caller catches CallCancelledException"));
      case CANCEL_OBSERVE, CANCEL_OBSERVE_COLD -> one(cancelRow(m, new ObserveProbe(),
          "Cancellation.cancel(thread, 10 s) until Cancellation.isCancelled() is true"));
      case CANCEL_10K_RELEASE, CANCEL_10K_OBSERVE, MEM_PER_PENDING -> pendingRows(
          new PendingCalls(), "CompletableFuture methods, future.cancel(true)");
      case CANCEL_OVERHEAD -> one(overhead());
      default -> one(Row.notApplicable(name, m, "not measured for this system"));
    };
  }

  /** Round trip with cancellation enabled versus disabled, alternating blocks of calls. */
  @SuppressWarnings("try") // registrations are only closed
  private Row overhead() throws Exception {
    Histogram off = new Histogram();
    Histogram on = new Histogram();
    int block = 500;
    for (int i = 0; i < plan.warmup(); i++) {
      try (Registration r = i % 2 == 0 ? Cancellation.enable() : () -> {}) {
        svc.echo(i);
      }
    }
    for (int done = 0; done < plan.samples(); done += block) {
      int n = Math.min(block, plan.samples() - done);
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        svc.echo(i);
        off.add(System.nanoTime() - t0);
      }
      try (Registration r = Cancellation.enable()) {
        for (int i = 0; i < n; i++) {
          long t0 = System.nanoTime();
          svc.echo(i);
          on.add(System.nanoTime() - t0);
        }
      }
    }
    double p50 = percent(on.percentile(50), off.percentile(50));
    double p99 = percent(on.percentile(99), off.percentile(99));
    double mean = percent(on.mean(), off.mean());
    return new Row(name, Metric.CANCEL_OVERHEAD, p50, p99, mean, on.count() + off.count(), "",
        String.format(java.util.Locale.ROOT,
            "rtt p50 enabled %.2f us vs disabled %.2f us; alternating blocks of %d calls",
            on.percentile(50) / 1e3, off.percentile(50) / 1e3, block));
  }

  /**
   * The TLS round trip, measured in blocks of 500 calls alternating with blocks over plain TCP to
   * a second server JVM, so that both see the same load (the machine's load moves between the
   * tether-tcp rows and these by more than TLS costs).
   */
  private Row interleaved() throws Exception {
    Histogram secure = new Histogram();
    Histogram plain = new Histogram();
    int block = 500;
    for (int i = 0; i < plan.warmup(); i++) {
      svc.echo(i);
      plainSvc.echo(i);
    }
    for (int done = 0; done < plan.samples(); done += block) {
      int n = Math.min(block, plan.samples() - done);
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        svc.echo(i);
        secure.add(System.nanoTime() - t0);
      }
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        plainSvc.echo(i);
        plain.add(System.nanoTime() - t0);
      }
    }
    return latencyRow(Metric.RTT, secure, String.format(java.util.Locale.ROOT,
        "interleaved with plain TCP in blocks of %d: plain p50 %.2f us, p99 %.2f us; "
            + "TLS/plain p50 %.2f, p99 %.2f", block, plain.percentile(50) / 1e3,
        plain.percentile(99) / 1e3, (double) secure.percentile(50) / plain.percentile(50),
        (double) secure.percentile(99) / plain.percentile(99)));
  }

  /** TLS throughput, then plain TCP's right after it (to a second server JVM), for the ratio. */
  private Row throughputBeside() throws Exception {
    double[] secure = Measure.throughput(plan, 16, () -> svc.echo(7));
    double[] plain = Measure.throughput(plan, 16, () -> plainSvc.echo(7));
    return Row.value(name, Metric.THROUGHPUT_16, secure[0], (long) secure[1],
        String.format(java.util.Locale.ROOT, "16 threads, one connection; plain TCP right after: "
            + "%.0f ops/s, TLS/plain %.2f", plain[0], secure[0] / plain[0]));
  }

  private static double percent(double on, double off) {
    return (on / off - 1) * 100;
  }

  /** Blocking call, cancelled with no grace; ends when the caller catches the exception. */
  private final class ReleaseProbe implements Measure.CancelProbe {
    @Override
    @SuppressWarnings("try") // the registration is only closed
    public long call(int seq) {
      try (Registration r = Cancellation.enable()) {
        svc.block(seq);
        return -1; // answered before the cancel: not a sample
      } catch (CallCancelledException e) {
        long now = System.nanoTime();
        return e.forced() ? now : -1;
      }
    }

    @Override
    public void cancel(Thread caller) {
      Cancellation.cancel(caller, Duration.ZERO);
    }
  }

  /** Spinning call, cancelled with a grace; the server answers with when it saw the cancel. */
  private final class ObserveProbe implements Measure.CancelProbe {
    @Override
    @SuppressWarnings("try") // the registration is only closed
    public long call(int seq) {
      try (Registration r = Cancellation.enable()) {
        return svc.spinUntilCancelled(seq);
      } catch (CallCancelledException e) {
        return -1; // the cancel reached the server before the method started: not a sample
      }
    }

    @Override
    public void cancel(Thread caller) {
      CancelResult r = Cancellation.cancel(caller, OBSERVE_GRACE);
      if (r != CancelResult.ANSWERED && r != CancelResult.ACKNOWLEDGED) {
        throw new IllegalStateException("cancel ended " + r + ", expected ANSWERED");
      }
    }
  }

  @Override
  protected ScaleTarget scaleTarget() {
    return new ScaleTarget(() -> svc.echo(7), PendingCalls::new);
  }

  /** Asynchronous calls pending on one connection, each cancelled through its future. */
  private final class PendingCalls extends FuturesProbe {
    @Override
    public void reset(int n) {
      svc.resetCancelCount(n);
    }

    @Override
    public void start(Runnable released) {
      CompletableFuture<Integer> f = svc.awaitCancel();
      FuturesProbe.onDone(f, released);
      track(f);
    }

    @Override
    public CancelProgress progress() {
      return svc.cancelProgress();
    }
  }

  @Override
  public List<String> notes() {
    if (nospin) {
      return List.of(name + ": " + (tcp ? "tether-tcp" : "tether-uds") + " with spinning off on "
          + "both sides (TetherOptions.withSpin(ZERO), TetherServer.Builder.spin(ZERO)): every "
          + "wait blocks at once, like the blocking raw floor it is compared with.");
    }
    if (tls) {
      return List.of("tether-tls: tether-tcp with TLS 1.3 (the JDK's SSLEngine and its default "
          + "suites, TLS_AES_256_GCM_SHA384 first; a self-signed P-256 certificate "
          + "for ip:127.0.0.1, trusted by the client, hostname verification on; the handshake is "
          + "done before the first sample). RATIO_TLS compares it with tether-tcp in this run.");
    }
    return tcp ? List.of("tether-tcp: loopback TCP in explicitly insecure plain text "
        + "(insecurePlaintextTcp: no TLS, no shared secret), like the other TCP peers.")
        : List.of("tether-uds: worker JVM started by Tether.launch, "
        + "Unix-domain socket; idle strategy: " + options().spin().toNanos() / 1000
        + " us of polling (yielding) before a waiting thread blocks; methods that have been "
        + "fast run on the server's reader thread, others on pooled platform threads, then "
        + "virtual threads.");
  }

  @Override
  public void close() {
    try {
      if (tether != null) {
        tether.close();
      }
      if (plainTether != null) {
        plainTether.close();
      }
    } finally {
      if (server != null) {
        server.close();
      }
      if (plainServer != null) {
        plainServer.close();
      }
    }
  }
}
