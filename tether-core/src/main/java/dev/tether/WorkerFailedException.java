package dev.tether;

import java.util.List;

/**
 * The supervisor gave up on the worker ({@link ErrorCode#WORKER_FAILED}): it failed more often
 * than its {@link SupervisionPolicy} allows in a period, or could not be started again. The
 * handle stays in this failed state; every call fails at once with this exception, whose message
 * and {@link #history()} list the restarts and their reasons. Close the handle and launch anew.
 */
public final class WorkerFailedException extends TetherException {
  private static final long serialVersionUID = 1L;

  private final transient List<SupervisionStats.Event> history;

  /** Creates the exception with the restart history, oldest first. */
  public WorkerFailedException(String message, List<SupervisionStats.Event> history) {
    super(ErrorCode.WORKER_FAILED, message);
    this.history = List.copyOf(history);
  }

  /** The supervisor's events up to the failure, oldest first. */
  public List<SupervisionStats.Event> history() {
    return history == null ? List.of() : history;
  }
}
