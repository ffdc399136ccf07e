package dev.tether.internal.event;

import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;

/**
 * Whether each of Tether's JFR events is being recorded, checked before anything is built.
 * While no flight recorder exists in the JVM (the usual case) a check is one volatile read and
 * the event classes are never even loaded (loading them costs JFR's start-up, hundreds of
 * milliseconds); once one exists, it is one more field read per check.
 */
public final class Jfr {
  private Jfr() {}

  /** True when {@link ClientCallEvent}s are recorded. */
  public static boolean clientCalls() {
    return FlightRecorder.isInitialized() && Types.CLIENT_CALL.isEnabled();
  }

  /** True when {@link ServerCallEvent}s are recorded. */
  public static boolean serverCalls() {
    return FlightRecorder.isInitialized() && Types.SERVER_CALL.isEnabled();
  }

  /** True when {@link CancelEvent}s are recorded. */
  public static boolean cancels() {
    return FlightRecorder.isInitialized() && Types.CANCEL.isEnabled();
  }

  /** True when {@link WorkerEvent}s are recorded. */
  public static boolean workers() {
    return FlightRecorder.isInitialized() && Types.WORKER.isEnabled();
  }

  /**
   * Records one worker step at once when worker events are recorded.
   *
   * @param worker the worker's name
   * @param step what happened (lower case: started, exited, killed, ...)
   * @param pid the process id, or -1
   * @param exitCode the exit code, or -1
   * @param signal the signal's name, or null
   * @param detail more, or null
   */
  public static void worker(String worker, String step, long pid, int exitCode, String signal,
      String detail) {
    if (!workers()) {
      return;
    }
    WorkerEvent e = new WorkerEvent();
    e.worker = worker;
    e.step = step;
    e.pid = pid;
    e.exitCode = exitCode;
    e.signal = signal;
    e.detail = detail;
    e.commit();
  }

  /** Loaded only once a flight recorder exists. */
  private static final class Types {
    static final EventType CLIENT_CALL = EventType.getEventType(ClientCallEvent.class);
    static final EventType SERVER_CALL = EventType.getEventType(ServerCallEvent.class);
    static final EventType CANCEL = EventType.getEventType(CancelEvent.class);
    static final EventType WORKER = EventType.getEventType(WorkerEvent.class);
  }
}
