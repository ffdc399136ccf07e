package dev.tether.internal.process;

import dev.tether.internal.event.Jfr;

/**
 * Reports the steps of a worker process's life: a {@code dev.tether.Worker} JFR event for its
 * exit and for each signal Tether sends it, and a log line (logger {@code dev.tether.worker}): started and exited at INFO (an exit by a signal or
 * with a non-zero code at WARNING, unless Tether itself killed it), a kill at INFO.
 */
final class WorkerLifecycle {
  private static final System.Logger LOG = System.getLogger("dev.tether.worker");

  private WorkerLifecycle() {}

  /** The process is ready; its exit will be reported when it happens. */
  static void started(WorkerProcess w, String name, Process p) {
    long pid = p.pid();
    // its "started" (or "restarted") event comes from the supervisor, once it serves
    LOG.log(System.Logger.Level.INFO, () -> name + " (pid " + pid + ") started");
    p.onExit().thenRun(() -> exited(w, name, pid, p.exitValue()));
  }

  private static void exited(WorkerProcess w, String name, long pid, int code) {
    ExitStatus status = ExitStatus.of(code);
    Jfr.worker(name, "exited", pid, status.code(), status.signal(), null);
    boolean expected = code == 0 || w.wasStopped();
    LOG.log(expected ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
        () -> name + " (pid " + pid + ") exited: " + status);
  }

  /** Tether sends {@code signal} to stop the process. */
  static void signalled(String name, long pid, String signal) {
    Jfr.worker(name, "SIGKILL".equals(signal) ? "killed" : "terminated", pid, -1, signal, null);
    LOG.log(System.Logger.Level.INFO, () -> "sending " + signal + " to " + name + " (pid " + pid
        + ")");
  }
}
