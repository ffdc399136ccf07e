package dev.tether.internal.event;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/** One outbound call, from its start until the caller has its answer (or was released). */
@Name("dev.tether.ClientCall")
@Label("Tether Client Call")
@Category({"Tether", "Calls"})
@Description("A call made through a Tether proxy, until the caller had its answer or was released")
@StackTrace(false)
@Threshold("1 ms")
public final class ClientCallEvent extends CallEvent {
  /** A new event; the caller calls {@code begin()}. */
  public ClientCallEvent() {}
}
