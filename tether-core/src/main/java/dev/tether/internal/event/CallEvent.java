package dev.tether.internal.event;

import jdk.jfr.DataAmount;
import jdk.jfr.Event;
import jdk.jfr.Label;

/** Fields common to the client's and the server's call events. */
public abstract class CallEvent extends Event {
  /** For subclasses. */
  protected CallEvent() {}

  @Label("Interface")
  String interfaceName;

  @Label("Method")
  String method;

  @Label("Peer")
  String peer;

  @Label("Call Id")
  int callId;

  @Label("Outcome")
  String outcome;

  @Label("Bytes Sent")
  @DataAmount
  long bytesSent;

  @Label("Bytes Received")
  @DataAmount
  long bytesReceived;

  @Label("Metadata Entries")
  int metadataEntries;

  /**
   * Sets the fields known at the start.
   *
   * @param iface the interface's name
   * @param method the method's name
   * @param peer the other process
   * @param callId the call's id on its connection
   */
  public final void describe(String iface, String method, String peer, int callId) {
    this.interfaceName = iface;
    this.method = method;
    this.peer = peer;
    this.callId = callId;
  }

  /**
   * Sets the fields known at the end and commits (the threshold decides whether it is kept).
   *
   * @param outcome the outcome's tag
   * @param sent bytes sent
   * @param received bytes received
   * @param metadataEntries entries of the call's metadata
   */
  public final void finish(String outcome, long sent, long received, int metadataEntries) {
    this.outcome = outcome;
    this.bytesSent = sent;
    this.bytesReceived = received;
    this.metadataEntries = metadataEntries;
    commit();
  }
}
