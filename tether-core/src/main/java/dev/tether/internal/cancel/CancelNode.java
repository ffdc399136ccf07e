package dev.tether.internal.cancel;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

/**
 * One node of the cancellation tree: a cancel scope, or the context of a call being served.
 * Cancellation is a state, not an event: once cancelled a node stays cancelled, listeners added
 * later are told at once, and children created later are born cancelled. Cancelling a node cancels
 * its children; a child never cancels its parent. A node with a deadline cancels itself when the
 * deadline passes. Thread-safe; listeners run outside the lock, on the cancelling thread.
 */
public final class CancelNode {
  /** No deadline. */
  public static final long NO_DEADLINE = Long.MAX_VALUE;

  /** Told once when the node is cancelled. */
  public interface Listener {
    /** Called once, outside any lock of the node. Must not block. */
    void cancelled(CancelReason reason);
  }

  /** Undoes an {@link #addListener}. Idempotent. */
  public interface Removal {
    /** Removes the listener if it was not told yet. */
    void remove();
  }

  private static final Removal NOTHING = () -> {};

  private final Object lock = new Object();
  private final CancelNode parent;
  private final long deadline;
  private final long deadlineGraceNanos;
  private volatile CancelReason reason;
  // @GuardedBy("lock"); null once cancelled.
  private Map<Listener, Boolean> listeners = new IdentityHashMap<>(4);
  private boolean closing;
  private Removal fromParent = NOTHING;
  private ScheduledFuture<?> deadlineTimer;

  private CancelNode(CancelNode parent, long deadline, long deadlineGraceNanos) {
    this.parent = parent;
    long inherited = parent == null ? NO_DEADLINE : parent.deadline;
    this.deadline = Math.min(deadline, inherited);
    this.deadlineGraceNanos = deadlineGraceNanos;
  }

  /**
   * Creates a node under {@code parent} (may be null). {@code deadline} is a {@link System#nanoTime}
   * instant or {@link #NO_DEADLINE}; the effective deadline is the earlier of it and the parent's.
   * When it passes the node is cancelled with {@code deadlineGraceNanos} as grace.
   */
  public static CancelNode create(CancelNode parent, long deadline, long deadlineGraceNanos) {
    CancelNode node = new CancelNode(parent, deadline, deadlineGraceNanos);
    if (parent != null) {
      Removal r = parent.addListener(node::cancel);
      synchronized (node.lock) {
        node.fromParent = r;
      }
    }
    if (deadline != NO_DEADLINE && deadline <= node.deadline && !node.isCancelled()) {
      node.armDeadline();
    }
    return node;
  }

  private void armDeadline() {
    long delay = deadline - System.nanoTime();
    if (delay <= 0) {
      cancel(CancelReason.deadlineExceeded(deadlineGraceNanos));
      return;
    }
    // Listeners may write to sockets: run them on a virtual thread, never on the timer thread.
    ScheduledFuture<?> timer = Timers.schedule(() -> Thread.ofVirtual().name("tether-deadline")
        .start(() -> cancel(CancelReason.deadlineExceeded(deadlineGraceNanos))), delay);
    synchronized (lock) {
      if (reason == null && !closing) {
        deadlineTimer = timer;
        return;
      }
    }
    timer.cancel(false);
  }

  /** The parent, or null for a root. */
  public CancelNode parent() {
    return parent;
  }

  /** Effective deadline as a {@link System#nanoTime} instant, or {@link #NO_DEADLINE}. */
  public long deadline() {
    return deadline;
  }

  /** Grace used when the deadline cancels this node. */
  public long deadlineGraceNanos() {
    return deadlineGraceNanos;
  }

  /** True once cancelled (including by an expired deadline, checked on the spot). */
  public boolean isCancelled() {
    if (reason != null) {
      return true;
    }
    if (deadline != NO_DEADLINE && System.nanoTime() - deadline >= 0) {
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
   * Cancels the node and, through their listeners, everything registered under it. Returns false
   * if it was already cancelled (the first reason stays).
   */
  public boolean cancel(CancelReason why) {
    Map<Listener, Boolean> toTell;
    ScheduledFuture<?> timer;
    synchronized (lock) {
      if (reason != null) {
        return false;
      }
      reason = why;
      toTell = listeners;
      listeners = null;
      timer = deadlineTimer;
      deadlineTimer = null;
    }
    if (timer != null) {
      timer.cancel(false);
    }
    if (toTell != null) {
      for (Listener l : toTell.keySet()) {
        try {
          l.cancelled(why);
        } catch (RuntimeException e) {
          System.getLogger("dev.tether").log(System.Logger.Level.WARNING,
              "cancellation listener failed", e);
        }
      }
    }
    return true;
  }

  /**
   * Registers {@code l}. If the node is already cancelled, {@code l} is told at once on this
   * thread and nothing is registered.
   */
  public Removal addListener(Listener l) {
    synchronized (lock) {
      if (reason == null) {
        listeners.put(l, Boolean.TRUE);
        return () -> remove(l);
      }
    }
    l.cancelled(reason);
    return NOTHING;
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
   * Ends the node's life without cancelling it: once nothing is registered under it any more (at
   * once if nothing is), it stops its deadline timer and unhooks from its parent, so a long-lived
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
    ScheduledFuture<?> timer;
    synchronized (lock) {
      r = fromParent;
      fromParent = NOTHING;
      timer = deadlineTimer;
      deadlineTimer = null;
    }
    r.remove();
    if (timer != null) {
      timer.cancel(false);
    }
  }
}
