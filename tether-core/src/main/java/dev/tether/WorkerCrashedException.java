package dev.tether;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * The worker process died without being asked to: it exited, crashed, or was killed by a signal
 * ({@link ErrorCode#WORKER_CRASHED}). Every call pending on it fails with this exception; the
 * message names the exit code, the signal where the exit code shows one (on Unix, 128 + n), and
 * the last lines of the worker's standard error. Whether the call ran is unknown.
 */
public final class WorkerCrashedException extends TetherException {
  private static final long serialVersionUID = 1L;

  private final long pid;
  private final Integer exitCode;
  private final String signal;
  private final String stderrTail;

  /**
   * Creates the exception.
   *
   * @param exitCode the exit code, or null when the process had not exited yet when the
   *     connection ended (it closed its end without exiting)
   * @param signal the name of the signal that killed it ({@code "SIGKILL"}), or null
   */
  public WorkerCrashedException(String message, long pid, Integer exitCode, String signal,
      String stderrTail) {
    super(ErrorCode.WORKER_CRASHED, message);
    this.pid = pid;
    this.exitCode = exitCode;
    this.signal = signal;
    this.stderrTail = stderrTail;
  }

  /** The process id of the worker that died. */
  public long pid() {
    return pid;
  }

  /** Its exit code; empty when it had not exited yet when the connection ended. */
  public OptionalInt exitCode() {
    return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
  }

  /** The signal that killed it ({@code SIGKILL}, {@code SIGSEGV}, ...), where the code shows it. */
  public Optional<String> signal() {
    return Optional.ofNullable(signal);
  }

  /** The last lines of its standard error ({@code "(nothing)"} when it wrote none). */
  public String stderrTail() {
    return stderrTail;
  }
}
