package dev.tether.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One child JVM of a same-run A/B bench ({@link JfrAbBench}, {@link ThroughputAbBench}), driven
 * over its pipes one line at a time: it prints {@code READY} once warmed up, answers each
 * {@code BLOCK n} with one {@code KEY value} line, and ends on {@code QUIT}. Its standard error
 * goes to a temporary file, quoted when it fails. One thread uses it at a time.
 */
final class BlockPeer implements AutoCloseable {
  private final Process process;
  private final BufferedReader out;
  private final PrintStream in;
  private final Path err;

  private BlockPeer(Process process, Path err) {
    this.process = process;
    this.err = err;
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8));
    this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
  }

  /** Starts {@code cmd} and waits for its {@code READY}; {@code label} names it in failures. */
  /**
   * The command line of a peer JVM running {@code mainClass} from {@code classPath}: the same
   * heap for every peer and the bench's {@code tether.bench.*} settings passed on alike; the
   * caller appends the main class's arguments.
   */
  static List<String> command(String classPath, Class<?> mainClass) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ServerProcess.javaExecutable());
    cmd.add("-Xms256m");
    cmd.add("-Xmx512m");
    for (String k : System.getProperties().stringPropertyNames()) {
      if (k.startsWith("tether.bench.")) { // the bench's settings, for every peer alike
        cmd.add("-D" + k + "=" + System.getProperty(k));
      }
    }
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add(mainClass.getName());
    return cmd;
  }

  static BlockPeer start(String label, List<String> cmd) throws IOException {
    Path err = Files.createTempFile("tether-ab-", ".err");
    err.toFile().deleteOnExit();
    BlockPeer p = new BlockPeer(new ProcessBuilder(cmd).redirectError(err.toFile()).start(), err);
    String line = p.out.readLine();
    if (!"READY".equals(line)) {
      p.close();
      throw new IOException(label + " did not start (" + line + "): " + Files.readString(err));
    }
    return p;
  }

  /**
   * Sends {@code BLOCK n} and returns the value of the answer, which must start with {@code key}.
   */
  String block(long n, String key) throws IOException {
    in.println("BLOCK " + n);
    String line = out.readLine();
    if (line == null || !line.startsWith(key + " ")) {
      throw new IOException("peer failed (" + line + "): " + Files.readString(err));
    }
    return line.substring(key.length() + 1).trim();
  }

  @Override
  public void close() {
    in.println("QUIT");
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
