package dev.tether.internal.event;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One step in the life of a worker process. */
@Name("dev.tether.Worker")
@Label("Tether Worker")
@Category({"Tether", "Workers"})
@Description("A worker process started, exited, was killed or was restarted")
@StackTrace(false)
public final class WorkerEvent extends Event {
  /** Worker. */
  @Label("Worker")
  public String worker;

  /** Step. */
  @Label("Step")
  @Description("started, restarted, exited, killed, crashed, killed_hung, liveness_lost, ...")
  public String step;

  /** Process Id. */
  @Label("Process Id")
  public long pid;

  /** Exit Code. */
  @Label("Exit Code")
  @Description("-1 while it runs or when unknown")
  public int exitCode = -1;

  /** Signal. */
  @Label("Signal")
  public String signal;

  /** Detail. */
  @Label("Detail")
  public String detail;

  /** A new event, committed at once by its creator. */
  public WorkerEvent() {}
}
