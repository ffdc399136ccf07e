package dev.tether.internal.launch;

import dev.tether.TetherServer;
import dev.tether.WorkerHistory;
import dev.tether.WorkerServerSetup;
import dev.tether.internal.process.WorkerProcess;
import dev.tether.internal.time.Clock;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Main class of a worker JVM started by {@code Tether.launch}. Creates the exported objects,
 * listens on the given address, prints the ready line, and exits when its standard input ends (the
 * owner closed it, or the owner died). Exits with status 2 when it cannot start, after printing why
 * on standard error.
 *
 * <p>Arguments: {@code --listen ADDRESS --token TOKEN [--max-frame BYTES] [--spin-nanos NANOS]
 * [--setup WORKER_SERVER_SETUP_CLASS] --export NAME=INTERFACE=IMPLEMENTATION ...}; an option left
 * out keeps the {@link TetherServer.Builder}'s default ({@link WorkerLauncher} always passes the spec's).
 */
public final class WorkerMain {
  private WorkerMain() {}

  /** Entry point. */
  public static void main(String[] args) {
    TetherServer server;
    String token;
    try {
      Args a = Args.parse(args);
      token = a.token;
      TetherServer.Builder b = TetherServer.builder();
      if (a.setup != null) {
        setUp(b, a.setup);
      }
      b.listen(a.listen)
          .description("worker pid " + ProcessHandle.current().pid());
      if (a.maxFrame != null) {
        b.maxFrameBytes(a.maxFrame);
      }
      if (a.spinNanos != null) {
        b.spin(Duration.ofNanos(a.spinNanos));
      }
      for (String[] e : a.exports) {
        exportOne(b, e[0], e[1], e[2]);
      }
      if (a.exports.stream().noneMatch(e -> e[0].equals(WorkerHistory.NAME))) {
        b.export(WorkerHistory.NAME, WorkerHistory.class,
            new FixedWorkerHistory(a.incarnation, a.history));
      }
      server = b.start();
    } catch (Throwable t) {
      System.err.println("tether worker failed to start: " + t);
      t.printStackTrace();
      System.err.flush();
      System.exit(2);
      return;
    }
    TetherServer running = server;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> drainForExit(running),
        "tether-worker-shutdown"));
    System.out.println(WorkerProcess.READY + " " + token);
    System.out.flush();
    awaitEndOfInput(System.in);
    stop(running);
    System.exit(0);
  }

  /**
   * What the JVM's exit does (System.exit from a method, SIGTERM): no new calls, and up to
   * {@link #EXIT_DRAIN} for the answers callers wait for (a connection closes once it owes none;
   * orphans are not waited for). A connection that still owes an answer stays open: the end of
   * the process closes it, so the owner learns of the end of the connection and of the exit
   * status together. Closing it here would tell the owner "closed its connection" while the
   * process still runs the rest of its exit (other hooks, sometimes for seconds), and its calls
   * would fail without the exit code.
   */
  private static void drainForExit(TetherServer server) {
    server.shutdown();
    long until = Clock.system().nanoTime() + EXIT_DRAIN.toNanos();
    try {
      while (server.stats().connections() > 0 && Clock.system().nanoTime() - until < 0) {
        Thread.sleep(5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** How long an exiting worker waits for its running calls: the server's default drain. */
  static final Duration EXIT_DRAIN = Duration.ofSeconds(2);

  /**
   * The polite stop (the owner closed our standard input): {@link TetherServer#close()} stops
   * taking calls, delivers the answers of calls that finish within the drain timeout, then cancels
   * the rest. Orphans that ignore cancellation would keep running, so the process exits anyway;
   * they are named on standard error, which the owner keeps the tail of.
   */
  private static void stop(TetherServer server) {
    server.close();
    var orphans = server.orphans();
    if (!orphans.isEmpty()) {
      System.err.println("tether worker exiting with " + orphans.size()
          + " orphaned calls still running, longest first: " + orphans.stream().limit(5)
          .map(o -> o.method() + " for " + o.running().toMillis() + " ms").toList());
      System.err.flush();
    }
  }

  /** Runs the spec's {@link WorkerServerSetup}; whatever goes wrong stops the worker's start. */
  private static void setUp(TetherServer.Builder b, String className) throws Exception {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    Class<?> type = Class.forName(className, true, loader);
    if (!WorkerServerSetup.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException("server setup " + className
          + " does not implement " + WorkerServerSetup.class.getName());
    }
    WorkerServerSetup setup = (WorkerServerSetup) type.getConstructor().newInstance();
    try {
      setup.configure(b);
    } catch (Exception | Error e) {
      throw new IllegalStateException("server setup " + className + " failed: " + e, e);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void exportOne(TetherServer.Builder b, String name, String ifaceName,
      String implName) throws ReflectiveOperationException {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    Class iface = Class.forName(ifaceName, true, loader);
    Class<?> impl = Class.forName(implName, true, loader);
    Object instance = impl.getConstructor().newInstance();
    b.export(name, iface, instance);
  }

  private static void awaitEndOfInput(InputStream in) {
    byte[] buf = new byte[256];
    try {
      while (in.read(buf) >= 0) {
        // the owner writes nothing; end of stream is the signal
      }
    } catch (IOException ignored) {
      // a broken pipe means the same: the owner is gone
    }
  }

  private static final class Args {
    String listen;
    String token;
    Integer maxFrame; // null: the builder's default
    Long spinNanos; // null: the builder's default
    String setup; // null: none
    final List<String[]> exports = new ArrayList<>();
    int incarnation = 1;
    final List<String> history = new ArrayList<>();

    static Args parse(String[] args) {
      Args a = new Args();
      for (int i = 0; i < args.length; i++) {
        String key = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("missing value after " + key);
        }
        String value = args[++i];
        switch (key) {
          case "--listen" -> a.listen = value;
          case "--token" -> a.token = value;
          case "--max-frame" -> a.maxFrame = Integer.parseInt(value);
          case "--spin-nanos" -> a.spinNanos = Long.parseLong(value);
          case "--incarnation" -> a.incarnation = Integer.parseInt(value);
          case "--history" -> a.history.add(value);
          case "--setup" -> a.setup = value;
          case "--export" -> {
            String[] parts = value.split("=", 3);
            if (parts.length != 3) {
              throw new IllegalArgumentException("--export wants NAME=INTERFACE=IMPLEMENTATION: " + value);
            }
            a.exports.add(parts);
          }
          default -> throw new IllegalArgumentException("unknown argument " + key);
        }
      }
      if (a.listen == null || a.token == null || a.exports.isEmpty()) {
        throw new IllegalArgumentException("--listen, --token and at least one --export are required");
      }
      return a;
    }
  }
}
