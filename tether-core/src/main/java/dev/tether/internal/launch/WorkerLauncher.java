package dev.tether.internal.launch;

import dev.tether.WorkerSpec;
import dev.tether.internal.process.WorkerProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Builds a worker's command line from a {@link WorkerSpec} and starts it. */
public final class WorkerLauncher {
  private static final SecureRandom RANDOM = new SecureRandom();

  private WorkerLauncher() {}

  /**
   * Starts the worker listening on the Unix socket {@code socket} and waits until it is ready.
   *
   * @throws IOException with the exit code and stderr tail when it fails to start
   */
  public static WorkerProcess start(WorkerSpec spec, Path socket) throws IOException {
    return start(spec, socket, 1, List.of());
  }

  /**
   * Like {@link #start(WorkerSpec, Path)} for the {@code incarnation}-th worker of a supervised
   * handle, telling it what ended the earlier ones ({@code history}, one line each), which it
   * exports as {@link dev.tether.WorkerHistory}.
   */
  public static WorkerProcess start(WorkerSpec spec, Path socket, int incarnation,
      List<String> history) throws IOException {
    byte[] nonce = new byte[12];
    RANDOM.nextBytes(nonce);
    String token = HexFormat.of().formatHex(nonce);
    List<String> cmd = command(spec, socket, token);
    cmd.add("--incarnation");
    cmd.add(Integer.toString(incarnation));
    for (String line : history.subList(Math.max(0, history.size() - MAX_HISTORY), history.size())) {
      cmd.add("--history");
      cmd.add(oneLine(line));
    }
    return WorkerProcess.start(cmd, token, spec.startTimeout(),
        spec.forwardOutput(), spec.name());
  }

  static List<String> command(WorkerSpec spec, Path socket, String token) {
    List<String> cmd = new ArrayList<>();
    cmd.add(spec.javaExecutable().map(Path::toString).orElseGet(WorkerLauncher::currentJava));
    cmd.addAll(spec.jvmArgs());
    cmd.add("-cp");
    cmd.add(spec.classpath().orElseGet(() -> System.getProperty("java.class.path")));
    cmd.add(WorkerMain.class.getName());
    cmd.add("--listen");
    cmd.add("unix:" + socket);
    cmd.add("--token");
    cmd.add(token);
    cmd.add("--max-frame");
    cmd.add(Integer.toString(spec.options().maxFrameBytes()));
    cmd.add("--spin-nanos");
    cmd.add(Long.toString(spec.options().spin().toNanos()));
    spec.serverSetup().ifPresent(setup -> {
      cmd.add("--setup");
      cmd.add(setup);
    });
    for (WorkerSpec.Export e : spec.exports()) {
      cmd.add("--export");
      cmd.add(e.name() + "=" + e.iface() + "=" + e.implementation());
    }
    return cmd;
  }

  /** Lines of history passed to a worker: the supervisor keeps no more events than this. */
  static final int MAX_HISTORY = 64;

  /** A history line as one short command-line argument. */
  private static String oneLine(String line) {
    String flat = line.replaceAll("\\s+", " ").strip();
    return flat.length() <= 300 ? flat : flat.substring(0, 299) + "…";
  }

  private static String currentJava() {
    return ProcessHandle.current().info().command()
        .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
