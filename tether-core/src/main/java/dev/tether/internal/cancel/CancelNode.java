package dev.tether.internal.cancel;

import dev.tether.internal.time.Clock;
import dev.tether.internal.time.Deadline;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node of the cancellation tree: a cancel scope, or the context of a call being served.
 * Cancellation is a state, not an event: once cancelled a node stays cancelled, listeners added
 * later are told at once, and children created later are born cancelled. Cancelling a node cancels
 * its children; a child never cancels its parent. A node with a deadline cancels itself when the
 * deadline passes (a timer on the deadline's {@link Clock}, and a check in {@link #isCancelled()}).
 *
 * <p>Two kinds of observers. <b>Listeners</b> are Tether's own (pending calls, child nodes): they
 * run on the cancelling thread, outside the lock, and must not block. <b>Callbacks</b> are user
 * code ({@code onCancel}): they never run on the cancelling thread, which may be a connection's
 * reader or the timer thread, but one after another on a virtual thread of the
 * {@link CallbackRunner} (shared by nodes cancelled in a burst; a blocked callback makes room);
 * {@link #afterCallbacks} lets a served call hold its answer until they have returned.
 *
 * <p>Thread-safe: one private lock guards the state; what must be done is captured under it and
 * done outside it.
 */
public final class CancelNode {
  /** Told once when the node is cancelled. */
  public interface Listener {
    /** Called once, on the cancelling thread, outside any lock of the node. Must not block. */
    void cancelled(CancelReason reason);
  }

  /** Undoes an {@link #addListener} or {@link #addCallback}. Idempotent. */
  public interface Removal {
    /** Removes the listener or callback if it was not told yet. */
    void remove();
  }

  private static final Removal NOTHING = () -> {};
  private static final System.Logger LOG = System.getLogger("dev.tether.cancel");

  private final Object lock = new Object();
  private final Deadline deadline;
  private final long deadlineGraceNanos;
  /** The node this one was created under, or null: for registrations that nested scopes inherit. */
  private final CancelNode parent;
  private volatile CancelReason reason;
  // Everything below is guarded by lock.
  /**
   * Null until the first listener (most call nodes never get one: an empty map for each of
   * 100,000 pending calls was garbage the GC copied around), and again once cancelled.
   */
  private Map<Listener, Boolean> listeners;
  private List<Runnable> callbacks; // null until one is added, and once cancelled
  private volatile boolean callbacksRunning; // written before reason, so readers of reason see it
  private List<Runnable> afterCallbacks;
  private boolean closing;
  private Removal fromParent = NOTHING;
  private Clock.Timer deadlineTimer;
  /** Inherited from the parent at creation; set on a root before it has children. */
  private Object attachment;

  private CancelNode(CancelNode parent, Deadline deadline, long deadlineGraceNanos) {
    this.parent = parent;
    this.deadline = deadline;
    this.deadlineGraceNanos = deadlineGraceNanos;
  }

  /**
   * Creates a node under {@code parent} (may be null). {@code deadline} may be null (none); the
   * effective deadline is the earlier of it and the parent's. When the node's own deadline passes,
   * it is cancelled with {@link CancelReason#deadlineExceeded} and {@code deadlineGraceNanos}
   * as grace (when the parent's is earlier, the parent's cancellation reaches it first).
   */
  public static CancelNode create(CancelNode parent, Deadline deadline, long deadlineGraceNanos) {
    Deadline effective = Deadline.earlierOf(deadline, parent == null ? null : parent.deadline);
    CancelNode node = new CancelNode(parent, effective, deadlineGraceNanos);
    if (parent != null) {
      node.attachment = parent.attachment;
      Removal r = parent.addListener(node::cancel);
      synchronized (node.lock) {
        node.fromParent = r;
      }
    }
    if (deadline != null && effective == deadline && !node.isCancelled()) {
      node.armDeadline();
    }
    return node;
  }

  /**
   * An opaque value children inherit when they are created: a served connection attaches the
   * caller's identity to its root node, so every call under it, and every scope a call opens,
   * carries it at no cost per call. Null when none.
   */
  public Object attachment() {
    return attachment;
  }

  /**
   * Attaches {@code value} (see {@link #attachment()}). Only before children are created, by the
   * thread that creates them (or one that hands them over with a happens-before edge).
   */
  public void attach(Object value) {
    this.attachment = value;
  }

  private void armDeadline() {
    CancelReason why = CancelReason.deadlineExceeded(deadlineGraceNanos);
    // Listeners may write to sockets: run them on a virtual thread, never on the timer thread.
    Clock.Timer timer = deadline.clock().schedule(() -> Thread.ofVirtual()
        .name("tether-deadline").start(() -> cancel(why)), deadline.remainingNanos());
    synchronized (lock) {
      if (reason == null && !closing) {
        deadlineTimer = timer;
        return;
      }
    }
    timer.cancel();
  }

  /** The node this one was created under, or null. */
  public CancelNode parent() {
    return parent;
  }

  /** The effective deadline, or null when there is none. */
  public Deadline deadline() {
    return deadline;
  }

  /** True once cancelled (including by an expired deadline, checked on the spot). */
  public boolean isCancelled() {
    if (reason != null) {
      return true;
    }
    if (deadline != null && deadline.isExpired()) {
      cancel(CancelReason.deadlineExceeded(deadlineGraceNanos));
      return true;
    }
    return false;
  }

  /** Why the node was cancelled, or null. */
  public CancelReason reason() {
    return isCancelled() ? reason : null;
  }

  /**
   * Cancels the node: tells its listeners (children, pending calls) on this thread, then hands
   * its callbacks to the {@link CallbackRunner}. Returns false if it was already cancelled (the first
   * reason stays).
   */
  public boolean cancel(CancelReason why) {
    Map<Listener, Boolean> toTell;
    List<Runnable> toRun;
    Clock.Timer timer;
    synchronized (lock) {
      if (reason != null) {
        return false;
      }
      toRun = callbacks;
      callbacks = null;
      // Claimed before the reason is published: whoever sees the reason sees callbacks running.
      callbacksRunning = toRun != null && !toRun.isEmpty();
      reason = why;
      toTell = listeners;
      listeners = null;
      timer = deadlineTimer;
      deadlineTimer = null;
    }
    if (timer != null) {
      timer.cancel();
    }
    if (toTell != null) {
      toTell.forEach((l, unused) -> tell(l, why));
    }
    if (toRun != null && !toRun.isEmpty()) {
      CallbackRunner.INSTANCE.submit(() -> runCallbacks(toRun)); // never a thread per node
    }
    return true;
  }

  private static void tell(Listener l, CancelReason why) {
    try {
      l.cancelled(why);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "cancellation listener failed", e);
    }
  }

  private void runCallbacks(List<Runnable> toRun) {
    for (Runnable r : toRun) {
      try {
        r.run();
      } catch (Throwable t) {
        LOG.log(System.Logger.Level.WARNING, "onCancel callback failed", t);
      }
    }
    List<Runnable> then;
    synchronized (lock) {
      callbacksRunning = false;
      then = afterCallbacks;
      afterCallbacks = null;
    }
    if (then != null) {
      then.forEach(Runnable::run);
    }
  }

  /**
   * Registers {@code l}. If the node is already cancelled, {@code l} is told at once on this
   * thread and nothing is registered.
   */
  public Removal addListener(Listener l) {
    synchronized (lock) {
      if (reason == null) {
        if (listeners == null) {
          listeners = new IdentityHashMap<>(4);
        }
        listeners.put(l, Boolean.TRUE);
        return () -> remove(l);
      }
    }
    l.cancelled(reason);
    return NOTHING;
  }

  /**
   * Registers user code to run once when the node is cancelled, on a virtual thread (never on the
   * cancelling thread). If the node is already cancelled, runs {@code callback} at once on this
   * thread (the caller's own) and registers nothing.
   */
  public Removal addCallback(Runnable callback) {
    Runnable entry = callback::run; // a fresh identity per registration
    synchronized (lock) {
      if (reason == null) {
        if (callbacks == null) {
          callbacks = new ArrayList<>(2);
        }
        callbacks.add(entry);
        return () -> {
          synchronized (lock) {
            if (callbacks != null) {
              callbacks.remove(entry);
            }
          }
        };
      }
    }
    callback.run();
    return NOTHING;
  }

  /**
   * True while this node's callbacks run. A thread that has seen the node cancelled and then sees
   * false here knows its callbacks are done (or there were none).
   */
  public boolean callbacksRunning() {
    return callbacksRunning;
  }

  /**
   * Runs {@code action} once no callback of this node is running: now on this thread if none is,
   * else on the callbacks' thread right after the last returns. A served call answers through
   * this, so its caller never hears the answer before the call's {@code onCancel} code is done.
   */
  public void afterCallbacks(Runnable action) {
    synchronized (lock) {
      if (callbacksRunning) {
        if (afterCallbacks == null) {
          afterCallbacks = new ArrayList<>(1);
        }
        afterCallbacks.add(action);
        return;
      }
    }
    action.run();
  }

  private void remove(Listener l) {
    boolean detachNow;
    synchronized (lock) {
      if (listeners == null) {
        return;
      }
      listeners.remove(l);
      detachNow = closing && listeners.isEmpty();
    }
    if (detachNow) {
      detach();
    }
  }

  /**
   * Ends the node's life without cancelling it: once no listener is registered under it any more
   * (at once if none is), it stops its deadline timer and unhooks from its parent, so a long-lived
   * parent does not keep it. Calls still registered keep it attached until they end.
   */
  public void close() {
    boolean detachNow;
    synchronized (lock) {
      closing = true;
      detachNow = listeners == null || listeners.isEmpty();
    }
    if (detachNow) {
      detach();
    }
  }

  private void detach() {
    Removal r;
    Clock.Timer timer;
    synchronized (lock) {
      r = fromParent;
      fromParent = NOTHING;
      timer = deadlineTimer;
      deadlineTimer = null;
    }
    r.remove();
    if (timer != null) {
      timer.cancel();
    }
  }
}
