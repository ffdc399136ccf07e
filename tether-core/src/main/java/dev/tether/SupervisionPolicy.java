package dev.tether;

import java.time.Duration;
import java.util.Objects;

/**
 * What the supervisor of a launched worker does when the worker crashes, hangs, or stops
 * answering pings. Immutable; start from {@link #defaults()} or {@link #builder()}. Set on
 * {@link WorkerSpec.Builder#supervision}.
 *
 * <p>In the style of Erlang/OTP supervisors: every restart counts against an intensity limit (at
 * most {@link #maxRestarts()} in {@link #restartPeriod()}); one restart too many and the handle
 * gives up and stays failed ({@link WorkerFailedException}). Restarts after a crash wait an
 * exponentially growing, jittered backoff.
 *
 * <table>
 * <caption>Defaults</caption>
 * <tr><td>{@link #maxRestarts()}</td><td>5</td></tr>
 * <tr><td>{@link #restartPeriod()}</td><td>60 s</td></tr>
 * <tr><td>{@link #initialBackoff()}</td><td>100 ms (doubling per recent restart)</td></tr>
 * <tr><td>{@link #maxBackoff()}</td><td>5 s</td></tr>
 * <tr><td>{@link #hungCallLimit()}</td><td>30 s</td></tr>
 * <tr><td>{@link #onHungCall()}</td><td>{@link HungAction#RESTART}</td></tr>
 * <tr><td>{@link #stopTimeout()}</td><td>2 s per step (polite, then SIGTERM, then SIGKILL)</td></tr>
 * </table>
 */
public final class SupervisionPolicy {
  /** What to do with a worker that still runs a call whose caller gave up, past the limit. */
  public enum HungAction {
    /** Count it and record it in {@link Tether#supervision()}; leave the worker alone. */
    REPORT,
    /** Take the worker out of service, stop it and start a new one. */
    RESTART
  }

  private static final SupervisionPolicy DEFAULTS = builder().build();

  private final int maxRestarts;
  private final Duration restartPeriod;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration hungCallLimit;
  private final HungAction onHungCall;
  private final Duration stopTimeout;

  private SupervisionPolicy(Builder b) {
    this.maxRestarts = b.maxRestarts;
    this.restartPeriod = b.restartPeriod;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.hungCallLimit = b.hungCallLimit;
    this.onHungCall = b.onHungCall;
    this.stopTimeout = b.stopTimeout;
  }

  /** The defaults in the table above. */
  public static SupervisionPolicy defaults() {
    return DEFAULTS;
  }

  /**
   * No supervision: a worker that crashes or loses liveness is not restarted (the handle fails at
   * once, its calls say why) and hung calls are only reported.
   */
  public static SupervisionPolicy none() {
    return builder().maxRestarts(0).onHungCall(HungAction.REPORT).build();
  }

  /** Starts from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** At most this many restarts within {@link #restartPeriod()}; 0 never restarts. */
  public int maxRestarts() {
    return maxRestarts;
  }

  /** The window of the restart intensity. */
  public Duration restartPeriod() {
    return restartPeriod;
  }

  /** Backoff before the first restart in a quiet period; doubles for each recent restart. */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /** Ceiling of the backoff. */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** How long a call may keep running on the worker after its caller gave up. */
  public Duration hungCallLimit() {
    return hungCallLimit;
  }

  /** What to do when a call runs past {@link #hungCallLimit()} after its caller gave up. */
  public HungAction onHungCall() {
    return onHungCall;
  }

  /** Bound of each step of stopping a worker that is taken out of service. */
  public Duration stopTimeout() {
    return stopTimeout;
  }

  @Override
  public String toString() {
    return "SupervisionPolicy[maxRestarts=" + maxRestarts + " in " + restartPeriod
        + ", backoff " + initialBackoff + ".." + maxBackoff + ", hungCallLimit=" + hungCallLimit
        + " -> " + onHungCall + ", stopTimeout=" + stopTimeout + "]";
  }

  /** Builds a {@link SupervisionPolicy}; every setting starts at its default. */
  public static final class Builder {
    private int maxRestarts = 5;
    private Duration restartPeriod = Duration.ofSeconds(60);
    private Duration initialBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(5);
    private Duration hungCallLimit = Duration.ofSeconds(30);
    private HungAction onHungCall = HungAction.RESTART;
    private Duration stopTimeout = Duration.ofSeconds(2);

    private Builder() {}

    /**
     * The restart intensity: at most {@code maxRestarts} restarts within {@code period}; the
     * next failure leaves the handle failed. Default 5 in 60 s.
     */
    public Builder intensity(int maxRestarts, Duration period) {
      return maxRestarts(maxRestarts).restartPeriod(period);
    }

    /** At most this many restarts in the period (0: never restart). Default 5. */
    public Builder maxRestarts(int maxRestarts) {
      if (maxRestarts < 0) {
        throw new IllegalArgumentException("maxRestarts must not be negative: " + maxRestarts);
      }
      this.maxRestarts = maxRestarts;
      return this;
    }

    /** The window of the restart intensity. Default 60 s. */
    public Builder restartPeriod(Duration period) {
      this.restartPeriod = positive(period, "restartPeriod");
      return this;
    }

    /**
     * Backoff before a restart: {@code initial} after a quiet period, doubling with every restart
     * still inside the period, at most {@code max}; each delay is drawn at random between half and
     * all of that (jitter), so workers that crash together do not restart in lockstep. Default
     * 100 ms to 5 s.
     */
    public Builder backoff(Duration initial, Duration max) {
      Objects.requireNonNull(initial, "initial");
      Objects.requireNonNull(max, "max");
      if (initial.isNegative() || max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("backoff wants 0 <= initial <= max: " + initial
            + ", " + max);
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /**
     * What happens when a call is still running on the worker {@code limit} after its caller
     * gave up on it (forced release, deadline, interrupt). Default 30 s, restart.
     */
    public Builder onHungCall(Duration limit, HungAction action) {
      this.hungCallLimit = positive(limit, "hungCallLimit");
      return onHungCall(action);
    }

    /** What happens to a worker with a hung call. Default {@link HungAction#RESTART}. */
    public Builder onHungCall(HungAction action) {
      this.onHungCall = Objects.requireNonNull(action, "action");
      return this;
    }

    /** Bound of each step of stopping a worker taken out of service. Default 2 s. */
    public Builder stopTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("stopTimeout must not be negative: " + timeout);
      }
      this.stopTimeout = timeout;
      return this;
    }

    /** The policy. */
    public SupervisionPolicy build() {
      return new SupervisionPolicy(this);
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }
  }
}
