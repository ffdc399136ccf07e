package dev.tether.internal.event;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** One cancel of a call, on the side that asked for it (client) or received it (server). */
@Name("dev.tether.Cancel")
@Label("Tether Cancel")
@Category({"Tether", "Calls"})
@Description("A cancel of a call and what came of it")
@StackTrace(false)
public final class CancelEvent extends Event {
  /** Side. */
  @Label("Side")
  public String side;

  /** Interface. */
  @Label("Interface")
  public String interfaceName;

  /** Method. */
  @Label("Method")
  public String method;

  /** Peer. */
  @Label("Peer")
  public String peer;

  /** Call Id. */
  @Label("Call Id")
  public int callId;

  /** Reason. */
  @Label("Reason")
  public String reason;

  /** Grace. */
  @Label("Grace")
  @Timespan
  public long grace;

  /** Deadline. */
  @Label("Deadline")
  @Description("The call's deadline caused the cancel")
  public boolean deadline;

  /** Result. */
  @Label("Result")
  @Description("acknowledged, forced or answered")
  public String result;

  /** Time To Release. */
  @Label("Time To Release")
  @Description("From the cancel until the caller was released (server: until the call ended)")
  @Timespan
  public long timeToRelease;

  /** Time Until Server Saw It. */
  @Label("Time Until Server Saw It")
  @Description("Client: from the cancel until the server's answer arrived; -1 if the caller was"
      + " released without one. Server: from the call's start until the cancel arrived")
  @Timespan
  public long timeToServer;

  /** A new event, committed at once by its creator. */
  public CancelEvent() {}
}
