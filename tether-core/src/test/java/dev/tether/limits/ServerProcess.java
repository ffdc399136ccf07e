package dev.tether.limits;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link LimitsServerMain} in its own JVM, started through {@code sh} so that a test can lower
 * its descriptor limit ({@code ulimit -n}). Its standard error goes to a file the test can read.
 */
final class ServerProcess implements AutoCloseable {
  final Process process;
  final String address;
  final Path stderr;

  private ServerProcess(Process process, String address, Path stderr) {
    this.process = process;
    this.address = address;
    this.stderr = stderr;
  }

  /** Starts the server with at most {@code maxFiles} descriptors (0: the inherited limit). */
  static ServerProcess start(Path dir, int maxFiles, String... args) throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command = new ArrayList<>(List.of("sh", "-c",
        (maxFiles > 0 ? "ulimit -n " + maxFiles + " && " : "") + "exec \"$@\"", "sh", java,
        "-Xmx256m", "-Xss512k", "-XX:TieredStopAtLevel=1", "-cp",
        System.getProperty("java.class.path"), LimitsServerMain.class.getName()));
    command.addAll(List.of(args));
    Path err = Files.createTempFile(dir, "server", ".err");
    Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
    BufferedReader out = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (IOException e) {
        return null;
      }
    });
    String line;
    try {
      line = ready.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      p.destroyForcibly();
      throw new AssertionError("server did not start: " + Files.readString(err), e);
    }
    if (line == null || !line.startsWith("READY ")) {
      p.destroyForcibly();
      throw new AssertionError("server did not start: " + line + "\n" + Files.readString(err));
    }
    return new ServerProcess(p, line.substring("READY ".length()), err);
  }

  String stderrText() throws IOException {
    return Files.readString(stderr);
  }

  /** The server's threads and resident memory, from /proc. */
  String procStatus(String field) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
      if (l.startsWith(field + ":")) {
        return l.substring(field.length() + 1).trim();
      }
    }
    throw new IllegalStateException(field + " not in /proc/" + process.pid() + "/status");
  }

  /**
   * Asks the server JVM for a full GC ({@code jcmd PID GC.run}), so that memory figures show what
   * is live rather than garbage not yet collected (freed direct buffers included).
   */
  void collectGarbage() throws Exception {
    Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
    Path jcmd = java.resolveSibling("jcmd");
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.run")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
  }

  int openDescriptors() throws IOException {
    try (var s = Files.list(Path.of("/proc/" + process.pid() + "/fd"))) {
      return (int) s.count();
    }
  }

  @Override
  public void close() throws Exception {
    process.getOutputStream().close();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
