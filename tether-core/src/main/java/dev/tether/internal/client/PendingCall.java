package dev.tether.internal.client;

import dev.tether.CallCancelledException;
import dev.tether.CallCanceller;
import dev.tether.CancelResult;
import dev.tether.internal.cancel.CancelNode;
import dev.tether.internal.cancel.CancelReason;
import dev.tether.internal.cancel.Grace;
import dev.tether.internal.codec.MethodCodec;
import dev.tether.internal.time.Clock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * One outbound call from the moment it is registered until it ends, and its cancel object.
 *
 * <p>One discipline: no locks (users hold this object as their {@link CallCanceller} and may
 * synchronize on it without harm), every decision is an atomic transition of the {@code state}
 * bit set. Each bit is claimed once, and only the claimer acts: {@code ENDED} by the first of the
 * server's answer, a forced release or a connection failure (everything later is discarded);
 * {@code CANCEL_SENT} and {@code RELEASED_SENT} by whoever sends that CANCEL frame. A cancel
 * requested before the CALL frame is out is remembered, and its CANCEL follows the CALL. Fields
 * other than {@code state} are written before the transition that publishes them.
 *
 * <p>The caller's thread enforces the release time itself while it waits; threads that cancel
 * wait in a lock-free stack and force the release if the grace runs out first; an asynchronous
 * call (no waiting caller) arms a timer instead.
 */
class PendingCall implements CallCanceller, CancelNode.Listener {
  private static final int SENDING = 1; // beginSend passed: a release is FORCED, not NOT_SENT
  private static final int SENT = 1 << 1; // the CALL frame is written
  private static final int CANCEL_REQUESTED = 1 << 2;
  private static final int CANCEL_SENT = 1 << 3;
  private static final int RELEASED_SENT = 1 << 4;
  private static final int ENDED = 1 << 5;
  private static final int FORCED = 1 << 6; // ENDED by a release, not by an answer

  private static final VarHandle STATE;
  private static final VarHandle REASON;
  private static final VarHandle RELEASE_AT;
  private static final VarHandle WAITERS;
  private static final VarHandle TIMER;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      STATE = l.findVarHandle(PendingCall.class, "state", int.class);
      REASON = l.findVarHandle(PendingCall.class, "cancelReason", CancelReason.class);
      RELEASE_AT = l.findVarHandle(PendingCall.class, "releaseAt", long.class);
      WAITERS = l.findVarHandle(PendingCall.class, "waiters", Waiter.class);
      TIMER = l.findVarHandle(PendingCall.class, "releaseTimer", Clock.Timer.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The clock of release times (the connection's, once connections carry one). */
  static final Clock CLOCK = Clock.system();

  /** A thread in {@link #cancel(Duration)} waiting for the end. */
  private record Waiter(Thread thread, Waiter next) {}

  private static final Waiter NO_MORE_WAITERS = new Waiter(null, null);
  private static final Clock.Timer NO_MORE_TIMERS = () -> {};

  final ClientConnection connection;
  final int id;
  private final Object what; // a MethodCodec or a String; rendered only by toString
  private final Thread caller;
  private volatile int state;
  private volatile Outcome outcome; // written once, by the thread that claimed ENDED
  private volatile CancelReason cancelReason; // the first request's
  private volatile long releaseAt = Grace.FOREVER; // only ever lowered
  private volatile boolean cancelWritten; // see cancelWritten()
  private volatile Waiter waiters;
  private volatile Clock.Timer releaseTimer;
  private volatile long cancelRequestedNanos; // when the first cancel was asked for, 0 before

  PendingCall(ClientConnection connection, int id, Object what, Thread caller) {
    this.connection = connection;
    this.id = id;
    this.what = what;
    this.caller = caller;
  }

  /** The outcome, or null while pending. */
  final Outcome outcome() {
    return outcome;
  }

  /** True once the call has ended and its outcome is visible. */
  final boolean isDone() {
    return outcome != null;
  }

  /** Sets {@code bits}; returns the state before. */
  private int set(int bits) {
    return (int) STATE.getAndBitwiseOr(this, bits);
  }

  /** Claims {@code bit}: true for exactly one caller. */
  private boolean claim(int bit) {
    return (set(bit) & bit) == 0;
  }

  /** Sets {@code bits} unless the call ended; returns the state before, or -1 if it had ended. */
  private int setUnlessEnded(int bits) {
    int s;
    do {
      s = state;
      if ((s & ENDED) != 0) {
        return -1;
      }
    } while (!STATE.weakCompareAndSet(this, s, s | bits));
    return s;
  }

  /** Ends the call with {@code result} unless it already ended. Returns whether this was the end. */
  final boolean complete(Outcome result) {
    if (!claim(ENDED)) {
      return false;
    }
    outcome = result;
    afterEnd(result);
    return true;
  }

  /**
   * After the outcome is published. The timer and waiter fields are only swapped when set (no
   * atomic operation on the fast path): whoever sets one later re-reads {@code outcome} after
   * its own CAS, and, both being volatile, one of the two sides sees the other.
   */
  private void afterEnd(Outcome result) {
    connection.forget(this);
    if (releaseTimer != null) {
      Clock.Timer timer = (Clock.Timer) TIMER.getAndSet(this, NO_MORE_TIMERS);
      if (timer != null) {
        timer.cancel();
      }
    }
    if (caller != null && caller != Thread.currentThread()
        && connection.replies().passesWakes(Thread.currentThread())) {
      connection.replies().wakeLater(caller); // the leader: woken callers wake each other
    } else {
      wakeCaller();
    }
    if (waiters != null) {
      for (Waiter w = (Waiter) WAITERS.getAndSet(this, NO_MORE_WAITERS); w != null; w = w.next) {
        LockSupport.unpark(w.thread);
      }
    }
    onComplete(result);
  }

  /** When the caller is to be released without an answer; {@link Grace#FOREVER} if not set. */
  final long releaseAt() {
    return releaseAt;
  }

  /** Wakes the calling thread, whether it is parked or leading the reading. */
  final void wakeCaller() {
    if (caller != null) {
      LockSupport.unpark(caller);
      connection.replies().wakeLeader(caller);
    }
  }

  /** Hook for asynchronous calls: runs once, on the completing thread, right after the end. */
  void onComplete(Outcome result) {}

  /**
   * Called just before the CALL frame is written. Returns false, and the frame must not be sent,
   * when the call already ended (it was cancelled before it went out).
   */
  final boolean beginSend() {
    return setUnlessEnded(SENDING) >= 0;
  }

  /** Called once the CALL frame is written: sends a cancel that was requested meanwhile. */
  final void markSent() {
    int s = set(SENT);
    if ((s & (CANCEL_REQUESTED | FORCED)) == 0) {
      return; // the fast path: nothing happened while sending
    }
    CancelReason why = cancelReason;
    if ((s & FORCED) != 0) {
      if (claim(RELEASED_SENT)) {
        sendCancel(true, why);
      }
    } else if (claim(CANCEL_SENT)) {
      sendCancel(false, why);
    }
  }

  private void sendCancel(boolean released, CancelReason why) {
    boolean deadline = why != null && why.deadline();
    long grace = why == null ? 0 : why.graceNanos();
    connection.sendCancel(id, released, deadline, grace);
    cancelWritten = true;
  }

  /**
   * True once this call's CANCEL has gone to the writer. The call's argument streams stop on this,
   * not on the request: a stream reset that overtook the CANCEL would reach the server first, its
   * method would fail reading and answer an error before it learned of the cancel.
   */
  final boolean cancelWritten() {
    return cancelWritten;
  }

  /** Listener of the caller's scope (or served call): the scope was cancelled. */
  @Override
  public final void cancelled(CancelReason reason) {
    requestCancel(reason);
  }

  /**
   * Asks for cancellation without waiting: sends CANCEL (once), lowers the release time to now
   * plus the reason's grace, and releases the caller at once for a zero grace. The first reason
   * is the one reported.
   *
   * @return false when the call had already ended
   */
  final boolean requestCancel(CancelReason reason) {
    if ((state & ENDED) != 0) {
      return false;
    }
    REASON.compareAndSet(this, null, reason);
    // Claim the request before lowering the release time: the caller's own thread enforces
    // releaseAt and may release itself the moment it sees it, and a cancel that caused the
    // release must not then find the call ended and report ALREADY_COMPLETE.
    int s = setUnlessEnded(CANCEL_REQUESTED);
    if (s < 0) {
      return false;
    }
    long now = CLOCK.nanoTime();
    if ((s & CANCEL_REQUESTED) == 0) {
      cancelRequestedNanos = now; // for observers (ClientCallTrace)
    }
    lowerReleaseAt(Grace.deadlineAfter(now, reason.graceNanos()));
    if ((s & SENT) != 0 && reason.graceNanos() > 0 && claim(CANCEL_SENT)) {
      sendCancel(false, cancelReason);
    }
    if (reason.graceNanos() == 0) {
      forceRelease();
    } else if (caller != null) {
      wakeCaller(); // let it recompute how long to wait
    } else if (releaseAt != Grace.FOREVER) {
      armReleaseTimer(releaseAt - now);
    }
    return true;
  }

  private void lowerReleaseAt(long t) {
    if (t == Grace.FOREVER) {
      return;
    }
    long current;
    do {
      current = releaseAt;
      // nanoTime may be negative: FOREVER is never subtracted
      if (current != Grace.FOREVER && current - t <= 0) {
        return;
      }
    } while (!RELEASE_AT.weakCompareAndSet(this, current, t));
  }

  private void armReleaseTimer(long delayNanos) {
    Clock.Timer t = CLOCK.schedule(
        () -> Thread.ofVirtual().name("tether-release").start(this::forceRelease), delayNanos);
    Clock.Timer old;
    do {
      old = releaseTimer;
      if (old == NO_MORE_TIMERS) {
        t.cancel(); // ended meanwhile
        return;
      }
    } while (!TIMER.weakCompareAndSet(this, old, t));
    if (old != null) {
      old.cancel(); // the new one fires no later: releaseAt only decreases
    }
    if (outcome != null) {
      t.cancel(); // ended meanwhile, and afterEnd may have looked before we set it
    }
  }

  /** Releases the caller now without the server's answer, if the call has not ended yet. */
  final void forceRelease() {
    int s = setUnlessEnded(ENDED | FORCED);
    if (s < 0) {
      return;
    }
    CancelReason why = cancelReason;
    Outcome.Cancelled result = new Outcome.Cancelled((s & SENDING) != 0
        ? CallCancelledException.Outcome.FORCED : CallCancelledException.Outcome.NOT_SENT, why);
    outcome = result;
    afterEnd(result);
    // Tell the server its answer is no longer wanted; markSent does it if the CALL is not out yet.
    if ((s & SENT) != 0 && claim(RELEASED_SENT)) {
      sendCancel(true, why);
    }
  }

  /**
   * Blocks the caller until the call ends, enforcing the release time. An interrupt cancels the
   * call with no grace; the interrupt flag is set again before returning.
   */
  final Outcome await() {
    return await(0, null);
  }

  /**
   * Like {@link #await()}; in addition, when {@code untilNanos} passes first the call is cancelled
   * with {@code onTimeout} (whose grace then applies). A null {@code onTimeout} means no timeout.
   */
  final Outcome await(long untilNanos, CancelReason onTimeout) {
    boolean interrupted = false;
    Outcome o;
    while ((o = outcome) == null) {
      if (Thread.interrupted()) {
        interrupted = true;
        requestCancel(CancelReason.of("the calling thread was interrupted", 0));
        continue;
      }
      long now = CLOCK.nanoTime();
      if (onTimeout != null && now - untilNanos >= 0) {
        requestCancel(onTimeout);
        onTimeout = null;
        continue;
      }
      long ra = releaseAt;
      if (ra != Grace.FOREVER && now - ra >= 0) {
        forceRelease();
        Thread.onSpinWait(); // if another thread ended it, its outcome is a moment away
        continue;
      }
      long wakeAt = ra;
      if (onTimeout != null && (ra == Grace.FOREVER || untilNanos - ra < 0)) {
        wakeAt = untilNanos;
      }
      ReplyReader replies = connection.replies();
      if (replies.tryLead()) {
        replies.lead(this, wakeAt); // read answers (ours and others') until ours arrives
        continue;
      }
      if (!replies.follow(this)) {
        continue; // the leader just left: lead instead
      }
      if (outcome == null) {
        if (wakeAt == Grace.FOREVER) {
          LockSupport.park(this);
        } else {
          LockSupport.parkNanos(this, wakeAt - now);
        }
      }
      replies.passWake(); // first: the next queued caller waits for this
      replies.unfollow(this);
    }
    if (caller != null) {
      connection.replies().passWake(); // woken while not parked (ended before it parked)
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return o;
  }

  /** The reason to report when the server acknowledges a cancel. */
  final CancelReason reasonForAck(String serverMessage, boolean deadline) {
    CancelReason r = cancelReason;
    if (r != null) {
      return r;
    }
    return new CancelReason(serverMessage == null ? "cancelled by the server" : serverMessage, 0,
        deadline);
  }

  @Override
  public CancelResult cancel(Duration grace) {
    long g = Grace.toNanos(grace);
    if ((state & ENDED) != 0) {
      return CancelResult.ALREADY_COMPLETE;
    }
    Waiter me;
    do {
      Waiter top = waiters;
      if (top == NO_MORE_WAITERS) {
        return CancelResult.ALREADY_COMPLETE;
      }
      me = new Waiter(Thread.currentThread(), top);
    } while (!WAITERS.weakCompareAndSet(this, me.next, me));
    // From here on, either afterEnd unparks this thread or the loop below sees the outcome.
    if (!requestCancel(CancelReason.of("cancelled by " + Thread.currentThread().getName(), g))) {
      return CancelResult.ALREADY_COMPLETE;
    }
    boolean interrupted = false;
    Outcome o;
    while ((o = outcome) == null) {
      long ra = releaseAt;
      if (ra == Grace.FOREVER) {
        LockSupport.park(this);
      } else {
        long wait = ra - CLOCK.nanoTime();
        if (wait <= 0) {
          forceRelease();
          Thread.onSpinWait(); // if another thread ended it, its outcome is a moment away
        } else {
          LockSupport.parkNanos(this, wait);
        }
      }
      if (Thread.interrupted()) {
        interrupted = true;
        forceRelease(); // asked to hurry: release the caller now
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return classify(o);
  }

  private static CancelResult classify(Outcome o) {
    return switch (o) {
      case Outcome.Cancelled c -> c.how() == CallCancelledException.Outcome.ACKNOWLEDGED
          ? CancelResult.ACKNOWLEDGED : CancelResult.FORCED;
      case Outcome.Failed f -> CancelResult.FORCED; // released without the server's answer
      case Outcome.Returned r -> CancelResult.ANSWERED;
      case Outcome.Error e -> CancelResult.ANSWERED;
      case Outcome.Resolved r -> CancelResult.ANSWERED;
    };
  }

  /** The first cancel's reason, or null. */
  final CancelReason cancelReason() {
    return cancelReason;
  }

  /** When the first cancel was asked for ({@link #CLOCK}); meaningful once {@link #isCancelled}. */
  final long cancelRequestedNanos() {
    return cancelRequestedNanos;
  }

  @Override
  public final boolean isCancelled() {
    return (state & CANCEL_REQUESTED) != 0;
  }

  @Override
  public String toString() {
    return "call " + id + " " + (what instanceof MethodCodec c ? Answers.describe(c) : what);
  }
}
