package dev.tether.bench.jmh;

import dev.tether.Tether;
import dev.tether.TetherServer;
import dev.tether.bench.ObserveBench;
import dev.tether.internal.event.ClientCallEvent;
import dev.tether.internal.event.Jfr;
import dev.tether.internal.event.ServerCallEvent;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.Configuration;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pieces of what a JFR recording costs a call (issue 13), each alone: the enabled checks
 * ({@code Jfr.serverCalls()} and the public {@code EventType.isEnabled()} behind it), one call
 * event's whole life under the threshold (new, fields, {@code begin()}, {@code commit()}), and a
 * whole round trip over the in-process {@code mem:} transport (both sides' events, no socket).
 * {@code recording}: {@code none} (no recorder ever existed in the fork), {@code stopped} (one
 * ran and stopped: the recorder exists, Tether's events are off), {@code jfc} (the shipped
 * {@code tether.jfc}: calls over 1 ms) or {@code all} (every call, threshold 0).
 *
 * <p>Run: {@code java -cp tether-bench/target/tether-bench-all.jar dev.tether.bench.BenchMain
 * jmh JfrEventBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JfrEventBench {
  private static final AtomicInteger SERVERS = new AtomicInteger();

  /** Which recording runs while measuring. */
  @Param({"none", "stopped", "jfc", "all"})
  public String recording;

  private Recording rec;
  private EventType serverType;
  private TetherServer server;
  private Tether tether;
  private ObserveBench.Echo echo;
  private int i;

  /** Starts the recording (or one that stops at once), and a {@code mem:} echo server. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    switch (recording) {
      case "none" -> { }
      case "stopped" -> {
        try (Recording r = new Recording()) {
          r.start();
          r.stop();
        }
      }
      case "jfc" -> {
        try (Reader r = new InputStreamReader(JfrEventBench.class.getResourceAsStream(
            "/dev/tether/tether.jfc"), StandardCharsets.UTF_8)) {
          rec = new Recording(Configuration.create(r));
        }
        rec.start();
      }
      case "all" -> {
        rec = new Recording();
        rec.enable("dev.tether.ClientCall").withThreshold(Duration.ZERO).withoutStackTrace();
        rec.enable("dev.tether.ServerCall").withThreshold(Duration.ZERO).withoutStackTrace();
        rec.start();
      }
      default -> throw new IllegalArgumentException(recording);
    }
    if (FlightRecorder.isInitialized()) {
      serverType = EventType.getEventType(ServerCallEvent.class);
    }
    String address = "mem:jmh-jfr-" + SERVERS.incrementAndGet();
    server = TetherServer.builder().export("echo", ObserveBench.Echo.class, x -> x)
        .listen(address).start();
    tether = Tether.connect(address);
    echo = tether.get(ObserveBench.Echo.class, "echo");
  }

  /** Stops what {@link #setUp} started. */
  @TearDown(Level.Trial)
  public void tearDown() {
    tether.close();
    server.close();
    if (rec != null) {
      rec.close();
    }
  }

  /** Tether's check before anything is built, both sides. */
  @Benchmark
  public boolean jfrChecks() {
    return Jfr.serverCalls() | Jfr.clientCalls();
  }

  /** The public API's check that {@code Jfr} uses (null before a recorder exists). */
  @Benchmark
  public boolean eventTypeIsEnabled() {
    return serverType != null && serverType.isEnabled();
  }

  /** One server call event, as ServerCallTrace makes it, under the threshold. */
  @Benchmark
  public ServerCallEvent serverEvent() {
    ServerCallEvent e = new ServerCallEvent();
    e.describe("dev.tether.bench.ObserveBench$Echo", "echo", "unix:/tmp/x", i++);
    e.begin();
    e.inline = true;
    e.finish("ok", 30, 30, 0);
    return e;
  }

  /** One client call event, as ClientCallTrace makes it, under the threshold. */
  @Benchmark
  public ClientCallEvent clientEvent() {
    ClientCallEvent e = new ClientCallEvent();
    e.describe("dev.tether.bench.ObserveBench$Echo", "echo", "unix:/tmp/x", i++);
    e.begin();
    e.finish("ok", 30, 30, 0);
    return e;
  }

  /** A whole synchronous round trip in this process (both sides' events when recording). */
  @Benchmark
  public int roundTrip() {
    return echo.echo(i++);
  }
}
