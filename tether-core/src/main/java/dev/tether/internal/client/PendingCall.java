package dev.tether.internal.client;

import dev.tether.CallCancelledException;
import dev.tether.CancelResult;
import dev.tether.internal.cancel.CancelNode;
import dev.tether.internal.cancel.CancelReason;
import dev.tether.internal.cancel.Grace;
import dev.tether.internal.cancel.Timers;
import dev.tether.CallCanceller;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One outbound call from the moment it is registered until it ends, and its cancel object.
 *
 * <p>The call ends exactly once: the first of the server's answer, a forced release, or a
 * connection failure wins a compare-and-set on {@code outcome}; everything later is discarded. A
 * cancel request is remembered even before the CALL frame is out, and the CANCEL frame follows the
 * CALL frame. The caller's thread enforces the release time itself while it waits; the thread that
 * cancels waits for the outcome and forces the release if the grace runs out first.
 */
class PendingCall implements CallCanceller, CancelNode.Listener {
  private static final VarHandle OUTCOME;

  static {
    try {
      OUTCOME = MethodHandles.lookup().findVarHandle(PendingCall.class, "outcome", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final ClientConnection connection;
  final int id;
  private final Object what; // a MethodCodec or a String; rendered only by toString
  private final Thread caller;
  private volatile Object outcome;
  private volatile long releaseAt = Grace.FOREVER;
  private volatile CountDownLatch done;
  // Cancel bookkeeping, guarded by "this".
  private boolean sending;
  private boolean sent;
  private boolean cancelRequested;
  private boolean cancelSent;
  private boolean releasedSent;
  private CancelReason cancelReason;
  private long graceNanos = Grace.FOREVER;
  private ScheduledFuture<?> releaseTimer;

  PendingCall(ClientConnection connection, int id, Object what, Thread caller) {
    this.connection = connection;
    this.id = id;
    this.what = what;
    this.caller = caller;
  }

  /** The outcome, or null while pending. */
  final Object outcome() {
    return outcome;
  }

  /** True once the call has ended. */
  final boolean isDone() {
    return outcome != null;
  }

  /**
   * Ends the call with {@code result} unless it already ended. Returns whether this was the end.
   */
  final boolean complete(Object result) {
    if (!OUTCOME.compareAndSet(this, null, result)) {
      return false;
    }
    afterEnd(result);
    return true;
  }

  private void afterEnd(Object result) {
    connection.forget(this);
    ScheduledFuture<?> timer;
    synchronized (this) {
      timer = releaseTimer;
      releaseTimer = null;
    }
    if (timer != null) {
      timer.cancel(false);
    }
    wakeCaller();
    CountDownLatch d = done;
    if (d != null) {
      d.countDown();
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
  void onComplete(Object result) {}

  /**
   * Called just before the CALL frame is written. Returns false, and the frame must not be sent,
   * when the call already ended (it was cancelled before it went out).
   */
  final synchronized boolean beginSend() {
    if (outcome != null) {
      return false;
    }
    sending = true;
    return true;
  }

  /** Called once the CALL frame is written: sends a cancel that was requested meanwhile. */
  final void markSent() {
    boolean sendCancel;
    boolean sendReleased;
    long grace;
    synchronized (this) {
      sent = true;
      sendCancel = cancelRequested && !cancelSent;
      sendReleased = outcome instanceof Outcomes.Cancelled && !releasedSent;
      cancelSent |= sendCancel;
      releasedSent |= sendReleased;
      grace = graceNanos;
    }
    if (sendCancel || sendReleased) {
      connection.sendCancel(id, sendReleased, grace);
    }
  }

  /** Listener of the caller's scope (or served call): the scope was cancelled. */
  @Override
  public final void cancelled(CancelReason reason) {
    requestCancel(reason);
  }

  /**
   * Asks for cancellation without waiting: sends CANCEL (once), shortens the release time to now
   * plus the reason's grace, and releases the caller at once for a zero grace.
   *
   * @return false when the call had already ended
   */
  final boolean requestCancel(CancelReason reason) {
    long now = System.nanoTime();
    long releaseTime = Grace.deadlineAfter(now, reason.graceNanos());
    boolean sendCancel;
    synchronized (this) {
      if (outcome != null) {
        return false;
      }
      if (!cancelRequested) {
        cancelRequested = true;
        cancelReason = reason;
      }
      graceNanos = Math.min(graceNanos, reason.graceNanos());
      if (releaseAt == Grace.FOREVER
          || releaseTime != Grace.FOREVER && releaseTime - releaseAt < 0) {
        releaseAt = releaseTime; // nanoTime may be negative: FOREVER is never subtracted
      }
      sendCancel = sent && !cancelSent && reason.graceNanos() > 0;
      cancelSent |= sendCancel;
    }
    if (sendCancel) {
      connection.sendCancel(id, false, reason.graceNanos());
    }
    if (reason.graceNanos() == 0) {
      forceRelease();
    } else if (caller != null) {
      wakeCaller(); // let it recompute how long to wait
    } else if (releaseTime != Grace.FOREVER) {
      armReleaseTimer(releaseTime - now);
    }
    return true;
  }

  private void armReleaseTimer(long delayNanos) {
    ScheduledFuture<?> t = Timers.schedule(
        () -> Thread.ofVirtual().name("tether-release").start(this::forceRelease), delayNanos);
    ScheduledFuture<?> old;
    synchronized (this) {
      if (outcome != null) {
        old = t;
      } else {
        old = releaseTimer;
        releaseTimer = t;
      }
    }
    if (old != null) {
      old.cancel(false);
    }
  }

  /** Releases the caller now without the server's answer, if the call has not ended yet. */
  final void forceRelease() {
    Outcomes.Cancelled result;
    boolean tell;
    long grace;
    synchronized (this) {
      result = new Outcomes.Cancelled(sending
          ? CallCancelledException.Outcome.FORCED : CallCancelledException.Outcome.NOT_SENT,
          cancelReason);
      if (!OUTCOME.compareAndSet(this, null, result)) {
        return;
      }
      tell = sent && !releasedSent;
      releasedSent |= tell;
      grace = graceNanos;
    }
    afterEnd(result);
    if (tell) {
      connection.sendCancel(id, true, grace);
    }
  }

  /**
   * Blocks the caller until the call ends, enforcing the release time. An interrupt cancels the
   * call with no grace; the interrupt flag is set again before returning.
   */
  final Object await() {
    return await(0, null);
  }

  /**
   * Like {@link #await()}; in addition, when {@code untilNanos} passes first the call is cancelled
   * with {@code onTimeout} (whose grace then applies). A null {@code onTimeout} means no timeout.
   */
  final Object await(long untilNanos, CancelReason onTimeout) {
    boolean interrupted = false;
    Object o;
    while ((o = outcome) == null) {
      if (Thread.interrupted()) {
        interrupted = true;
        requestCancel(CancelReason.of("the calling thread was interrupted", 0));
        continue;
      }
      long now = System.nanoTime();
      if (onTimeout != null && now - untilNanos >= 0) {
        requestCancel(onTimeout);
        onTimeout = null;
        continue;
      }
      long ra = releaseAt;
      if (ra != Grace.FOREVER && now - ra >= 0) {
        forceRelease();
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
      replies.unfollow(this);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return o;
  }

  /** The reason to report when the server acknowledges a cancel. */
  final synchronized CancelReason reasonForAck(String serverMessage, boolean deadline) {
    if (cancelReason != null) {
      return cancelReason;
    }
    return new CancelReason(serverMessage == null ? "cancelled by the server" : serverMessage, 0,
        deadline);
  }

  @Override
  public final CancelResult cancel(Duration grace) {
    long g = Grace.toNanos(grace);
    if (outcome != null) {
      return CancelResult.ALREADY_COMPLETE;
    }
    CountDownLatch latch = latch();
    if (!requestCancel(CancelReason.of("cancelled by " + Thread.currentThread().getName(), g))) {
      return CancelResult.ALREADY_COMPLETE;
    }
    try {
      while (outcome == null) {
        long ra = releaseAt;
        if (ra == Grace.FOREVER) {
          latch.await();
        } else {
          long wait = ra - System.nanoTime();
          if (wait <= 0) {
            forceRelease();
          } else {
            latch.await(wait, TimeUnit.NANOSECONDS);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      forceRelease(); // asked to hurry: release the caller now
    }
    return classify(outcome);
  }

  private CountDownLatch latch() {
    CountDownLatch d = done;
    if (d == null) {
      synchronized (this) {
        d = done;
        if (d == null) {
          d = new CountDownLatch(1);
          done = d;
        }
      }
      if (outcome != null) {
        d.countDown(); // ended before the latch was published
      }
    }
    return d;
  }

  private static CancelResult classify(Object o) {
    if (o instanceof Outcomes.Cancelled c) {
      return c.how() == CallCancelledException.Outcome.ACKNOWLEDGED
          ? CancelResult.ACKNOWLEDGED : CancelResult.FORCED;
    }
    if (o instanceof Outcomes.Failed) {
      return CancelResult.FORCED;
    }
    return CancelResult.ANSWERED;
  }

  @Override
  public final boolean isCancelled() {
    synchronized (this) {
      return cancelRequested;
    }
  }

  @Override
  public String toString() {
    return "call " + id + " "
        + (what instanceof dev.tether.internal.codec.MethodCodec c ? Answers.describe(c) : what);
  }
}
