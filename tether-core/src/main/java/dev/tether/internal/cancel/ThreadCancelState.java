package dev.tether.internal.cancel;

import dev.tether.CallCanceller;
import java.util.concurrent.ConcurrentHashMap;

/**
 * COM-style per-thread cancellation state: whether cancellation is enabled (a nesting count) and
 * the stack of cancel objects of the calls pending on the thread, innermost on top. Only the owning
 * thread changes it; any thread may read it to cancel. A thread without enablement and without
 * pushed cancel objects has no state at all, so plain calls pay nothing.
 */
public final class ThreadCancelState {
  private static final ConcurrentHashMap<Thread, ThreadCancelState> BY_THREAD =
      new ConcurrentHashMap<>();
  private static final ThreadLocal<ThreadCancelState> MINE = new ThreadLocal<>();

  private record Entry(CallCanceller canceller, Entry next) {}

  private final Thread owner;
  private volatile int enabled;
  private volatile Entry top;

  private ThreadCancelState(Thread owner) {
    this.owner = owner;
  }

  /** The state of {@code thread}, or null when it has none. */
  public static ThreadCancelState of(Thread thread) {
    return BY_THREAD.get(thread);
  }

  /** The current thread's state if cancellation is enabled on it, else null. */
  public static ThreadCancelState currentIfEnabled() {
    ThreadCancelState s = MINE.get();
    return s != null && s.enabled > 0 ? s : null;
  }

  /** The current thread's state, created on first use. */
  public static ThreadCancelState current() {
    ThreadCancelState s = MINE.get();
    if (s == null) {
      Thread t = Thread.currentThread();
      s = new ThreadCancelState(t);
      MINE.set(s);
      BY_THREAD.put(t, s);
      int n = BY_THREAD.size();
      if (n >= 64 && (n & (n - 1)) == 0) {
        // a thread that died with cancellation enabled never cleaned up: sweep now and then
        BY_THREAD.keySet().removeIf(thread -> !thread.isAlive());
      }
    }
    return s;
  }

  /** True while the owner has cancellation enabled. */
  public boolean isEnabled() {
    return enabled > 0;
  }

  /** Increments the enable count. Owner thread only. */
  public void enable() {
    enabled = enabled + 1;
  }

  /** Decrements the enable count and drops the state when nothing is left. Owner thread only. */
  public void disable() {
    if (enabled == 0) {
      throw new IllegalStateException("cancellation is not enabled on " + owner);
    }
    enabled = enabled - 1;
    forgetIfIdle();
  }

  /** The innermost cancel object, or null. */
  public CallCanceller top() {
    Entry e = top;
    return e == null ? null : e.canceller;
  }

  /** Pushes a cancel object. Owner thread only. */
  public void push(CallCanceller c) {
    top = new Entry(c, top);
  }

  /** Removes {@code c} (normally the top). Owner thread only. */
  public void pop(CallCanceller c) {
    Entry e = top;
    if (e != null && e.canceller == c) {
      top = e.next;
    } else {
      top = without(e, c);
    }
    forgetIfIdle();
  }

  private static Entry without(Entry e, CallCanceller c) {
    if (e == null) {
      return null;
    }
    return e.canceller == c ? e.next : new Entry(e.canceller, without(e.next, c));
  }

  private void forgetIfIdle() {
    if (enabled == 0 && top == null) {
      MINE.remove();
      BY_THREAD.remove(owner, this);
    }
  }
}
