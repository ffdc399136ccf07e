package dev.tether.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A server JVM started for one peer: the same {@code java} and class path as this JVM, running
 * {@link ServerMain}. It prints {@code READY <address>} when it listens and exits when its standard
 * input closes, so it never outlives this JVM; {@link #close()} and a shutdown hook also destroy it.
 */
public final class ServerProcess implements AutoCloseable {
  /** JVM options of every server JVM, Tether's worker included. */
  public static final List<String> SERVER_JVM_ARGS = List.of("-Xms256m", "-Xmx1g");

  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
        "bench-server-reaper"));
  }

  private final Process process;
  private final String address;
  private final Path stderr;

  private ServerProcess(Process process, String address, Path stderr) {
    this.process = process;
    this.address = address;
    this.stderr = stderr;
  }

  /**
   * Starts {@code ServerMain kind}, with {@code jvmArgs} after the common ones, and waits up to
   * {@code timeoutSeconds} for its address. The system property {@code tether.bench.serverJvmArgs}
   * (space-separated) adds options to every server JVM, for profiling a server under a benchmark:
   * {@code -Dtether.bench.serverJvmArgs=-XX:StartFlightRecording=filename=server.jfr}.
   *
   * @throws IOException when it cannot start, exits, or is not ready in time; the message has the
   *     tail of its standard error
   */
  public static ServerProcess start(String kind, long timeoutSeconds, List<String> jvmArgs)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaExecutable());
    cmd.addAll(SERVER_JVM_ARGS);
    cmd.addAll(jvmArgs);
    for (String extra : System.getProperty("tether.bench.serverJvmArgs", "").split(" ")) {
      if (!extra.isBlank()) {
        cmd.add(extra);
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(ServerMain.class.getName());
    cmd.add(kind);
    Path err = Files.createTempFile("tether-bench-" + kind + "-", ".err");
    err.toFile().deleteOnExit();
    Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    LIVE.add(p);
    try {
      String line = readReadyLine(p, timeoutSeconds);
      return new ServerProcess(p, line.substring("READY ".length()).trim(), err);
    } catch (IOException | RuntimeException e) {
      destroy(p);
      throw new IOException(kind + " server did not start: " + e.getMessage() + "; stderr: "
          + tail(err), e);
    }
  }

  private static String readReadyLine(Process p, long timeoutSeconds) throws IOException {
    CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
      try {
        BufferedReader r = new BufferedReader(
            new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null) {
          if (line.startsWith("READY ")) {
            return line;
          }
        }
        return null;
      } catch (IOException e) {
        return null;
      }
    }, r -> Thread.ofPlatform().daemon().name("bench-server-ready").start(r));
    try {
      String line = ready.get(timeoutSeconds, TimeUnit.SECONDS);
      if (line == null) {
        throw new IOException("exited without READY (exit code "
            + (p.waitFor(2, TimeUnit.SECONDS) ? p.exitValue() : "?") + ")");
      }
      return line;
    } catch (TimeoutException e) {
      throw new IOException("no READY within " + timeoutSeconds + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for READY");
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException(e.getCause());
    }
  }

  /** The address the server printed, such as {@code tcp:127.0.0.1:4711}. */
  public String address() {
    return address;
  }

  /** The TCP port of a {@code tcp:host:port} or {@code rmi:host:port} address. */
  public int port() {
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  /** The server's process id. */
  public long pid() {
    return process.pid();
  }

  /** CPU time the server process has used so far, in nanoseconds; -1 when the OS does not say. */
  public long cpuNanos() {
    return process.toHandle().info().totalCpuDuration().map(java.time.Duration::toNanos)
        .orElse(-1L);
  }

  /** True while the server process runs. */
  public boolean alive() {
    return process.isAlive();
  }

  /** The tail of the server's standard error, for reports. */
  public String stderrTail() {
    return tail(stderr);
  }

  /** How many times {@code text} occurs in the server's standard error so far (0 if unreadable). */
  public int stderrCount(String text) {
    try {
      String all = Files.readString(stderr);
      int n = 0;
      for (int i = all.indexOf(text); i >= 0; i = all.indexOf(text, i + 1)) {
        n++;
      }
      return n;
    } catch (IOException e) {
      return 0;
    }
  }

  /** Closes its standard input (it exits), then terminates it if it lingers. Bounded. */
  @Override
  public void close() {
    destroy(process);
  }

  private static void destroy(Process p) {
    try {
      p.getOutputStream().close();
      if (!p.waitFor(3, TimeUnit.SECONDS)) {
        p.destroy();
        if (!p.waitFor(3, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor(3, TimeUnit.SECONDS);
        }
      }
    } catch (IOException e) {
      p.destroyForcibly();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      LIVE.remove(p);
    }
  }

  private static String tail(Path file) {
    try {
      String s = Files.readString(file);
      s = s.length() > 600 ? s.substring(s.length() - 600) : s;
      return s.isBlank() ? "(empty)" : s.strip();
    } catch (IOException e) {
      return "(unreadable)";
    }
  }

  /** The {@code java} running this JVM. */
  static String javaExecutable() {
    return ProcessHandle.current().info().command()
        .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  @Override
  public String toString() {
    return "server pid " + process.pid() + " at " + address + " (stderr " + stderr + ")";
  }
}
