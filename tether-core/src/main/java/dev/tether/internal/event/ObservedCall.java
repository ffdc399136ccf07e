package dev.tether.internal.event;

import dev.tether.CallInfo;
import dev.tether.CallListener;
import dev.tether.CallMetadata;
import dev.tether.CallOutcome;
import dev.tether.internal.time.Clock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What client and server share of one observed call: the {@link CallInfo} a listener sees, the
 * listener's callbacks (each guarded, so a throwing listener never changes the call) and the
 * exactly-once end. Subclasses add the JFR event of their side.
 *
 * <p>One thread at a time: the runtime hands the object from the thread that starts the call to
 * the one that ends it through a happens-before edge (a volatile write, a thread start); only
 * {@link #claimEnd} may race, and it is atomic.
 *
 * <p>Cost when only JFR observes (no listener): no clock is read here (the JFR event reads its
 * own at begin and commit, and durations are the listener's), and the end is claimed with a
 * compare-and-set on a field of this object, not a separate atomic.
 */
public abstract class ObservedCall implements CallInfo {
  /** The clock of durations. */
  protected static final Clock CLOCK = Clock.system();

  private final Side side;
  private final String interfaceName;
  private final String methodName;
  private final String peer;
  private final int callId;
  private final CallListener listener;
  private final System.Logger log;
  private static final VarHandle ENDED;

  static {
    try {
      ENDED = MethodHandles.lookup().findVarHandle(ObservedCall.class, "ended", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SuppressWarnings("unused") // through ENDED
  private volatile int ended;
  private final long startNanos;
  private CallMetadata metadata;
  private boolean metadataOpen;
  private long bytesSent;
  private long bytesReceived;
  private long durationNanos;
  private Object[] attachments; // key, value, ...

  /**
   * A call as seen by one side.
   *
   * @param side which end of the call this is
   * @param interfaceName the remote interface's fully qualified name
   * @param methodName the method's name
   * @param peer the other process, as the connection describes it
   * @param callId the call's id on its connection
   * @param metadata the call's metadata (null: none)
   * @param listener the user's listener, or null (then only JFR observes the call)
   * @param log where a failing listener is reported
   * @param startNanos when the call started on {@link #CLOCK}, or 0 when only JFR observes and
   *     nothing needs the time
   */
  protected ObservedCall(Side side, String interfaceName, String methodName, String peer,
      int callId, CallMetadata metadata, CallListener listener, System.Logger log,
      long startNanos) {
    this.startNanos = startNanos;
    this.side = side;
    this.interfaceName = interfaceName;
    this.methodName = methodName;
    this.peer = peer;
    this.callId = callId;
    this.metadata = metadata == null ? CallMetadata.empty() : metadata;
    this.listener = listener;
    this.log = log;
  }

  /** The user's listener, or null. */
  protected final CallListener listener() {
    return listener;
  }

  /** When the call started, on {@link #CLOCK}. */
  protected final long startNanos() {
    return startNanos;
  }

  /** Runs the listener's {@code started}, during which metadata may be added. */
  protected final void fireStarted() {
    if (listener == null) {
      return;
    }
    metadataOpen = true;
    try {
      listener.started(this);
    } catch (Throwable t) {
      failed("started", t);
    } finally {
      metadataOpen = false;
    }
  }

  /**
   * True for the first caller only: that one reports the end. Measures the duration (one clock
   * read) only when a listener will see it or {@code measure} asks for it.
   *
   * @param measure whether to measure the duration even without a listener
   * @return whether this caller claimed the end
   */
  protected final boolean claimEnd(boolean measure) {
    if (!ENDED.compareAndSet(this, 0, 1)) {
      return false;
    }
    if (listener != null || measure) {
      durationNanos = Math.max(1, CLOCK.nanoTime() - startNanos);
    }
    return true;
  }

  /**
   * Runs the listener's {@code cancelled}.
   *
   * @param cancel the cancel and its effect
   */
  protected final void fireCancelled(CallListener.Cancel cancel) {
    if (listener == null) {
      return;
    }
    try {
      listener.cancelled(this, cancel);
    } catch (Throwable t) {
      failed("cancelled", t);
    }
  }

  /**
   * Runs the listener's {@code ended}.
   *
   * @param outcome how the call ended
   * @param failure what was thrown, or null
   */
  protected final void fireEnded(CallOutcome outcome, Throwable failure) {
    if (listener == null) {
      return;
    }
    try {
      listener.ended(this, outcome, failure);
    } catch (Throwable t) {
      failed("ended", t);
    }
  }

  private void failed(String callback, Throwable t) {
    log.log(System.Logger.Level.WARNING, "call listener " + listener.getClass().getName() + "."
        + callback + " failed for " + interfaceName + "." + methodName + "; the call goes on", t);
  }

  /**
   * Counts bytes sent for this call.
   *
   * @param bytes whole frames, length prefix included
   */
  public final void sent(long bytes) {
    bytesSent += bytes;
  }

  /**
   * Counts bytes received for this call.
   *
   * @param bytes whole frames, length prefix included
   */
  public final void received(long bytes) {
    bytesReceived += bytes;
  }

  @Override
  public final Side side() {
    return side;
  }

  @Override
  public final String interfaceName() {
    return interfaceName;
  }

  @Override
  public final String methodName() {
    return methodName;
  }

  @Override
  public final String peer() {
    return peer;
  }

  @Override
  public final int callId() {
    return callId;
  }

  @Override
  public final CallMetadata metadata() {
    return metadata;
  }

  @Override
  public final void putMetadata(String key, String value) {
    if (!metadataOpen) {
      throw new IllegalStateException("metadata can only be added in CallListener.started");
    }
    metadata = metadata.plus(key, value);
  }

  @Override
  public final long bytesSent() {
    return bytesSent;
  }

  @Override
  public final long bytesReceived() {
    return bytesReceived;
  }

  @Override
  public final long durationNanos() {
    return durationNanos;
  }

  @Override
  public final synchronized void attach(Object key, Object value) {
    Object[] a = attachments;
    if (a != null) {
      for (int i = 0; i < a.length; i += 2) {
        if (a[i] == key) {
          a[i + 1] = value;
          return;
        }
      }
    }
    Object[] n = a == null ? new Object[2] : java.util.Arrays.copyOf(a, a.length + 2);
    n[n.length - 2] = key;
    n[n.length - 1] = value;
    attachments = n;
  }

  @Override
  public final synchronized Object attached(Object key) {
    Object[] a = attachments;
    if (a != null) {
      for (int i = 0; i < a.length; i += 2) {
        if (a[i] == key) {
          return a[i + 1];
        }
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return side + " call " + callId + " " + interfaceName + "." + methodName + " with " + peer;
  }
}
