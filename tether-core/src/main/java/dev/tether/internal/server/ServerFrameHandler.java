package dev.tether.internal.server;

import dev.tether.ErrorCode;
import dev.tether.internal.cancel.CancelNode;
import dev.tether.internal.cancel.CancelReason;
import dev.tether.internal.codec.ByteWriter;
import dev.tether.internal.time.Clock;
import dev.tether.internal.time.Deadline;
import dev.tether.internal.wire.ChunkBuffers;
import dev.tether.internal.wire.FrameBuffers;
import dev.tether.internal.wire.FrameHandler;
import dev.tether.internal.wire.FrameKind;
import dev.tether.internal.wire.Frames;
import dev.tether.internal.wire.MetadataPayload;
import dev.tether.internal.wire.ProtocolException;
import dev.tether.internal.wire.RemoteError;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * What a {@link ServerConnection}'s reader does with each frame: the handshake (HELLO, AUTH),
 * RESOLVE into bindings, the admission checks of each CALL before it is run inline or handed to
 * a call thread, CANCEL, PING, stream frames and GOAWAY. Runs on the connection's reader thread
 * only (one at a time); {@link #helloSeen} is read by other threads.
 */
final class ServerFrameHandler implements FrameHandler {
  /** What the client resolved: the served method for each of its method indexes. */
  private record Binding(ServedMethod[] methods, boolean admin) {}

  private final ServerConnection c;
  private final ScheduledFuture<?> handshakeTimeout;
  private final List<Binding> bindings = new ArrayList<>(); // reader thread only
  /** The handshake is done: calls may come. */
  volatile boolean helloSeen;

  ServerFrameHandler(ServerConnection c, ScheduledFuture<?> handshakeTimeout) {
    this.c = c;
    this.handshakeTimeout = handshakeTimeout;
  }

  private void requireHello() throws ProtocolException {
    if (!helloSeen) {
      throw new ProtocolException("expected HELLO first");
    }
  }

  @Override
  public void hello(int version, int maxFrameBytes, String who, int flags)
      throws ProtocolException {
    if (helloSeen || !c.handshake.awaitsHello()) {
      throw new ProtocolException("second HELLO");
    }
    if (version < FrameKind.MIN_VERSION) {
      throw new ProtocolException("client speaks protocol version " + version
          + "; this server speaks " + FrameKind.MIN_VERSION + ".." + FrameKind.VERSION);
    }
    c.peerMaxFrameBytes = maxFrameBytes;
    c.peer = who + " at " + c.link.peer();
    if (c.handshake.hello(version, maxFrameBytes, who, flags)) {
      established();
    }
  }

  @Override
  public void auth(int step, String keyId, byte[] value) throws ProtocolException {
    if (helloSeen || c.handshake.awaitsHello()) {
      throw new ProtocolException("unexpected AUTH frame");
    }
    if (c.handshake.auth(step, keyId, value)) {
      established();
    }
  }

  /** The c.peer is who it must be: frames up to the full limit, c.calls, the caller's identity. */
  private void established() {
    c.connectionNode.attach(c.handshake.identity()); // before any call node is created under it
    helloSeen = true;
    c.reader.handshakeDone();
    handshakeTimeout.cancel(false);
  }

  @Override
  public void resolve(int callId, String name, String iface, List<String> signatures)
      throws ProtocolException {
    requireHello();
    ExportedObject object = c.server.export(name);
    ByteWriter w = FrameBuffers.acquire();
    try {
      if (object != null && c.server.isAdmin(object) && !c.handshake.identity().isAuthenticated()) {
        Frames.error(w, callId, ErrorCode.UNAUTHENTICATED, "'" + name + "' is served only to "
            + "authenticated peers, and this connection is plain TCP nobody authenticated",
            null, c.peerMaxFrameBytes);
      } else if (object == null) {
        Frames.error(w, callId, ErrorCode.NOT_FOUND, "no object exported as '" + name
            + "' (exported: " + c.server.exportNames() + ")", null, c.peerMaxFrameBytes);
      } else {
        ServedMethod[] methods = new ServedMethod[signatures.size()];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < methods.length; i++) {
          int index = object.schema().indexOfSignature(signatures.get(i));
          if (index < 0) {
            missing.add(signatures.get(i));
          } else {
            methods[i] = object.method(index);
          }
        }
        if (missing.isEmpty()) {
          bindings.add(new Binding(methods, c.server.isAdmin(object)));
          Frames.resolved(w, callId, bindings.size() - 1);
        } else {
          Frames.error(w, callId, ErrorCode.INCOMPATIBLE, "'" + name + "' is exported as "
              + object.schema().type().getName() + ", which lacks or differs in " + missing
              + " of the client's " + iface, null, c.peerMaxFrameBytes);
        }
      }
      c.write(w);
    } finally {
      FrameBuffers.release(w);
    }
  }

  @Override
  public void call(int callId, int bindingId, int methodIndex, long deadlineNanos, byte[] body,
      int argsOffset) throws ProtocolException {
    requireHello();
    if (bindingId >= bindings.size()) {
      throw new ProtocolException("CALL on unknown binding " + bindingId);
    }
    Binding b = bindings.get(bindingId);
    if (methodIndex >= b.methods.length) {
      throw new ProtocolException("CALL of unknown method " + methodIndex);
    }
    Deadline deadline = deadlineNanos < 0 ? null : Deadline.after(deadlineNanos, Clock.system());
    ServerCall call = new ServerCall(c, callId, b.methods[methodIndex],
        CancelNode.create(c.connectionNode, deadline, 0));
    if ((body[1] & FrameKind.FLAG_METADATA) != 0) { // rare: only calls that carry metadata
      MetadataPayload.Read md = MetadataPayload.read(body, argsOffset);
      call.metadata = md.metadata();
      argsOffset = md.argsOffset();
    }
    call.trace = ServerCallTrace.start(c, call.method, callId,
        call.metadata, body.length, b.admin(), call.startedNanos);
    if (c.calls.putIfAbsent(callId, call) != null) {
      throw new ProtocolException("call id " + callId + " is already in use");
    }
    call.budgetBytes = c.reader.takeCharge(); // the arguments stay in the budget until it ends
    c.server.callStarted();
    if (c.closed.get()) { // closed meanwhile: nobody to answer; close() may have orphaned it
      c.finished(call);
      return;
    }
    if (c.draining) {
      c.answers.refused(call, Refusal.of(ErrorCode.UNAVAILABLE, c.drainReason));
      return;
    }
    int max = c.server.options().maxCallsPerConnection();
    if (!b.admin() && c.calls.size() > max) {
      c.answers.refused(call, Refusal.of(ErrorCode.RESOURCE_EXHAUSTED, "this connection has " + max
          + " calls running, its maximum (maxCallsPerConnection " + max + "); "
          + call.methodName() + " did not run"));
      return;
    }
    String exhausted = b.admin() ? null : c.server.refusal();
    Refusal refused = exhausted != null ? Refusal.of(ErrorCode.SERVER_EXHAUSTED, exhausted)
        : b.admin() ? null : c.server.gate().admit(call);
    if (refused != null) {
      c.answers.refused(call, refused);
      return;
    }
    call.filtered = !b.admin() && c.server.gate().hasFilter();
    CallRunner runner = new CallRunner(call, body, argsOffset, c.budget,
        c.reader.takePenaltyCharge());
    if (b.admin() || InlinePolicy.mayInline(call.method) && !call.filtered
        && !c.server.options().listenerNeedsCallThread() // user code never runs on the reader
        && !c.argumentReads.onThisThread()) { // read by a method: it goes on reading its stream
      runner.inline = true;
      c.nextInline = runner;
    } else {
      c.server.dispatch(runner);
    }
  }

  @Override
  public void cancel(int callId, boolean callerReleased, boolean deadline, long graceNanos)
      throws ProtocolException {
    requireHello();
    ServerCall call = c.calls.get(callId);
    if (call == null) {
      return; // already answered
    }
    if (callerReleased) {
      call.releaseCaller(c.server.orphans()); // before the cancel: its answer is dropped
    }
    // The caller's deadline is this call's deadline too (it may arrive before our own timer).
    CancelReason why = deadline ? CancelReason.deadlineExceeded(graceNanos)
        : CancelReason.of("cancelled by the caller", graceNanos);
    if (call.trace != null) {
      call.trace.cancelArrived(why);
    }
    call.node.cancel(why);
  }

  @Override
  public void ping(long value) throws ProtocolException {
    requireHello();
    c.send(w -> Frames.ping(w, true, value));
  }

  @Override
  public void pong(long value) {
    // liveness only
  }

  @Override
  public void streamData(int callId, int slot, boolean end, byte[] body, int offset)
      throws ProtocolException {
    requireHello();
    c.streams.onData(callId, slot, end, body, offset);
  }

  @Override
  public void streamData(int callId, int slot, boolean end, ByteBuffer data,
      ChunkBuffers buffers) throws ProtocolException {
    requireHello();
    c.streams.onData(callId, slot, end, data);
  }

  @Override
  public void streamCredit(int callId, int slot, int bytes) throws ProtocolException {
    requireHello();
    c.streams.onCredit(callId, slot, bytes);
  }

  @Override
  public void streamReset(int callId, int slot, RemoteError error) throws ProtocolException {
    requireHello();
    c.streams.onReset(callId, slot, error);
  }

  @Override
  public void goAway(ErrorCode code, String message) {
    c.clientLeft = true; // the read loop ends and closes the connection
  }
}
