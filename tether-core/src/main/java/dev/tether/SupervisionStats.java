package dev.tether;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of a launched worker's supervision: its state, what happened to it, and the recent
 * history ({@link Tether#supervision()}).
 *
 * @param state where the handle is now
 * @param pid the current worker's process id, or -1 while none runs
 * @param restarts workers started after the first one
 * @param crashes workers that died without being asked to
 * @param hungKills workers killed because a call ran past the hung-call limit
 * @param livenessLosses workers that stopped answering pings
 * @param hungReports calls found running past the hung-call limit (restarted or only reported)
 * @param history the most recent events (at most 64), oldest first
 */
public record SupervisionStats(State state, long pid, int restarts, int crashes, int hungKills,
    int livenessLosses, int hungReports, List<Event> history) {

  /** Copies the history. */
  public SupervisionStats {
    history = List.copyOf(history);
  }

  /** The state of a supervised handle. */
  public enum State {
    /** A worker is serving calls. */
    RUNNING,
    /** The worker was taken out of service; a new one is starting (calls wait for it). */
    RESTARTING,
    /** The supervisor gave up; every call fails with {@link WorkerFailedException}. */
    FAILED,
    /** {@link Tether#shutdown()} was called: running calls finish, new ones are refused. */
    SHUTTING_DOWN,
    /** Shut down or closed, and the worker is gone. */
    TERMINATED
  }

  /** What happened to a worker. */
  public enum Kind {
    /** A worker started and is serving. */
    STARTED,
    /** A worker died without being asked to. */
    CRASHED,
    /** A call ran past the hung-call limit; the policy only reported it. */
    HUNG_REPORTED,
    /** A worker was killed because a call ran past the hung-call limit. */
    KILLED_HUNG,
    /** A worker stopped answering liveness pings and was killed. */
    LIVENESS_LOST,
    /** A worker was restarted or recycled on request. */
    RESTART_REQUESTED,
    /** A worker could not be started. */
    START_FAILED,
    /** The supervisor gave up (restart intensity exceeded, or restarting is off). */
    GAVE_UP
  }

  /**
   * One event.
   *
   * @param at when it happened
   * @param kind what happened
   * @param pid the worker concerned, or -1
   * @param detail a sentence for people: exit code and signal, the hung method, the error
   */
  public record Event(Instant at, Kind kind, long pid, String detail) {
    @Override
    public String toString() {
      return at + " " + kind + (pid < 0 ? "" : " pid " + pid) + ": " + detail;
    }
  }
}
