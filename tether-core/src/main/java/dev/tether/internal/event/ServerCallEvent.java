package dev.tether.internal.event;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/** One served call, from its CALL frame until its answer was written (or dropped). */
@Name("dev.tether.ServerCall")
@Label("Tether Server Call")
@Category({"Tether", "Calls"})
@Description("A call served by a Tether server, from its arrival until its answer was written")
@StackTrace(false)
@Threshold("1 ms")
public final class ServerCallEvent extends CallEvent {
  /** Inline. */
  @Label("Inline")
  @Description("Ran on the connection's reader thread")
  public boolean inline;

  /** A new event; the caller calls {@code begin()}. */
  public ServerCallEvent() {}
}
