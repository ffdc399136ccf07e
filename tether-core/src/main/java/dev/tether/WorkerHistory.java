package dev.tether;

import java.util.List;

/**
 * What a worker launched by {@link Tether#launch} exports under {@link #NAME}: where it stands in
 * its handle's supervision history. The supervisor tells each worker it starts how the earlier
 * workers of the same handle ended, so {@code tether inspect ADDRESS} (or any client) can see
 * restarts, kills and crashes from the worker's side too. Servers started with
 * {@link TetherServer#builder()} do not export it ({@code get} fails with
 * {@link ErrorCode#NOT_FOUND}). Thread-safe; the values never change while the worker runs.
 */
public interface WorkerHistory {
  /** The export name. */
  String NAME = "tether.worker";

  /** 1 for the first worker of a handle, 2 for the one started after the first restart, … */
  int incarnation();

  /**
   * The supervisor's events before this worker started, oldest first, one line each (when, what,
   * the pid, the detail: exit code and signal, why it was killed), at most the last 64.
   */
  List<String> earlier();
}
