package dev.tether.internal.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A worker process owned by this JVM. It is started with pipes on all three streams: its
 * standard input stays open as a lifeline (the worker exits when it reads end-of-stream, which also
 * happens when this JVM dies, however it dies); its standard output must print the ready line
 * within the start timeout; its standard error is kept as a tail for error messages and, like
 * other output, optionally forwarded with a prefix.
 */
public final class WorkerProcess implements AutoCloseable {
  /** What a worker prints on standard output, followed by the token, once it accepts connections. */
  public static final String READY = "TETHER-READY";

  private final Process process;
  private final OutputTail stderrTail = new OutputTail(40, 8192);
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final Thread stderrPump;
  private final String name;
  private volatile boolean stopping; // Tether began stopping it

  private WorkerProcess(Process process, String token, boolean forward, String name) {
    this.process = process;
    this.name = name;
    String prefix = "[" + name + " " + process.pid() + "] ";
    this.stderrPump = pump(process.getErrorStream(), "stderr", line -> {
      stderrTail.add(line);
      if (forward) {
        System.err.println(prefix + line);
      }
    });
    pump(process.getInputStream(), "stdout", line -> {
      if (!ready.isDone() && line.equals(READY + " " + token)) {
        ready.complete(null);
      } else if (forward) {
        System.out.println(prefix + line);
      }
    });
  }

  private Thread pump(InputStream in, String stream, java.util.function.Consumer<String> sink) {
    return Thread.ofPlatform().daemon().name("tether-worker-" + stream + " " + process.pid())
        .start(() -> {
          try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
              sink.accept(line);
            }
          } catch (IOException ignored) {
            // the process is gone
          } finally {
            if (stream.equals("stdout")) {
              ready.completeExceptionally(new IOException("standard output closed before ready"));
            }
          }
        });
  }

  /**
   * Starts {@code command} and waits until it prints {@code READY token} on standard output.
   *
   * @throws IOException when it cannot start, exits first, or is not ready within
   *     {@code startTimeout}; the message has the exit code and the tail of its standard error.
   *     The process is gone when this throws.
   */
  public static WorkerProcess start(List<String> command, String token, Duration startTimeout,
      boolean forwardOutput, String name) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.PIPE)
        .redirectOutput(ProcessBuilder.Redirect.PIPE)
        .redirectError(ProcessBuilder.Redirect.PIPE);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IOException("cannot start " + name + " (" + command.get(0) + "): " + e.getMessage(), e);
    }
    WorkerProcess w = new WorkerProcess(p, token, forwardOutput, name);
    try {
      CompletableFuture.anyOf(w.ready, p.onExit()).get(startTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      w.kill();
      throw new IOException(name + " (pid " + p.pid() + ") did not become ready within "
          + startTimeout + "; its stderr ended with:\n" + w.stderrTail(), e);
    } catch (InterruptedException e) {
      w.kill();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting " + name, e);
    } catch (ExecutionException e) {
      // stdout closed early: the process is exiting; fall through to the exit check
    }
    if (!w.ready.isDone() || w.ready.isCompletedExceptionally()) {
      w.awaitExit(Duration.ofSeconds(2));
      w.kill();
      String exit = p.isAlive() ? "closed its output" : "exited with code " + p.exitValue();
      throw new IOException(name + " (pid " + p.pid() + ") " + exit
          + " during start-up; its stderr ended with:\n" + w.stderrTail());
    }
    WorkerLifecycle.started(w, name, p);
    return w;
  }

  /** The process id. */
  public long pid() {
    return process.pid();
  }

  /** The OS process. */
  public ProcessHandle handle() {
    return process.toHandle();
  }

  /** Completes when the process exits. */
  public CompletableFuture<Process> onExit() {
    return process.onExit();
  }

  /** True while the process runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code, once it exited. */
  public int exitValue() {
    return process.exitValue();
  }

  /** The last lines of its standard error, after the pump has caught up with a dead process. */
  public String stderrTail() {
    if (!process.isAlive()) {
      try {
        stderrPump.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return stderrTail.toString();
  }

  /** Waits at most {@code d} for the process to exit; returns whether it has. */
  public boolean awaitExit(Duration d) {
    try {
      return process.waitFor(d.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  private void kill() {
    stopping = true;
    WorkerLifecycle.signalled(name, process.pid(), "SIGKILL");
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    awaitExit(Duration.ofSeconds(5));
  }

  /**
   * Shuts the worker down: closes its standard input (the polite request), waits up to
   * {@code grace}, then asks the OS to terminate it, and finally kills it and its descendants.
   * Returns once it is gone (or after bounded waits if the OS does not let it go).
   */
  public void close(Duration grace) {
    stop(grace, Duration.ofSeconds(2));
  }

  /**
   * Stops the worker in three steps, each bounded: closes its standard input (the polite
   * request) and waits up to {@code polite}; sends SIGTERM and waits up to {@code terminate};
   * then sends SIGKILL to it and its descendants and waits (at most 5 s) until it is gone. A zero
   * bound skips the wait of its step. Returns the step that ended it: 0 polite, 1 SIGTERM,
   * 2 SIGKILL.
   */
  public int stop(Duration polite, Duration terminate) {
    stopping = true;
    try {
      process.getOutputStream().close();
    } catch (IOException ignored) {
      // already closed
    }
    if (awaitExit(polite)) {
      return 0;
    }
    WorkerLifecycle.signalled(name, process.pid(), "SIGTERM");
    process.destroy();
    if (awaitExit(terminate)) {
      return 1;
    }
    kill();
    return 2;
  }

  /** True once Tether began stopping it (so its exit was asked for). */
  boolean wasStopped() {
    return stopping;
  }

  /** The exit status, once it exited; null while it runs. */
  public ExitStatus exitStatus() {
    return process.isAlive() ? null : ExitStatus.of(process.exitValue());
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ")";
  }
}
