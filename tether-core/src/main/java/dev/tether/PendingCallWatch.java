package dev.tether;

import dev.tether.internal.cancel.PendingWatches;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@link PendingCallListener} with its timing: first called once a call has been pending for
 * {@code firstAfter}, then every {@code interval} until it ends. Register it per handle
 * ({@link TetherOptions#withPendingCallWatch}), per scope ({@link #registerIn(CancelScope)}: every
 * call made inside the scope, nested scopes included) or per thread ({@link #pushOnThisThread()}:
 * every call this thread makes until the registration is closed). A call watched in several ways
 * gets each listener called; when none is registered, calls pay one check.
 *
 * <p>Timing comes from Tether's clock; each invocation runs on a virtual thread (see
 * {@link PendingCallListener}). Immutable and thread-safe.
 *
 * @param firstAfter how long a call is pending before the first invocation (positive)
 * @param interval time between later invocations (positive)
 * @param listener what to call
 */
public record PendingCallWatch(Duration firstAfter, Duration interval,
    PendingCallListener listener) {

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException when a duration is not positive
   */
  public PendingCallWatch {
    Objects.requireNonNull(listener, "listener");
    positive(firstAfter, "firstAfter");
    positive(interval, "interval");
  }

  /** A watch called after {@code firstAfter}, then at the same interval. */
  public static PendingCallWatch after(Duration firstAfter, PendingCallListener listener) {
    return new PendingCallWatch(firstAfter, firstAfter, listener);
  }

  /**
   * Watches every call the current thread makes until the returned registration is closed (on
   * this thread). Registrations nest like {@link Cancellation#push(CallCanceller)}.
   */
  public Registration pushOnThisThread() {
    return PendingWatches.pushOnThread(this);
  }

  /**
   * Watches every call made inside {@code scope} (on any thread that joined it, and in scopes
   * opened inside it) until the returned registration is closed or the scope closes.
   */
  public Registration registerIn(CancelScope scope) {
    Objects.requireNonNull(scope, "scope");
    return PendingWatches.addToScope(scope.node(), this);
  }

  private static void positive(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + d);
    }
  }
}
