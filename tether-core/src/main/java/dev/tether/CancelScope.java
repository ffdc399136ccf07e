package dev.tether;

import dev.tether.internal.cancel.CallContext;
import dev.tether.internal.cancel.CancelNode;
import dev.tether.internal.cancel.CancelReason;
import dev.tether.internal.cancel.Grace;
import dev.tether.internal.time.Clock;
import dev.tether.internal.time.Deadline;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;

/**
 * A scope that covers every Tether call made inside it: on the thread that opened it, and on
 * threads that {@linkplain #join() join} it or run tasks {@linkplain #wrap(Runnable) wrapped} by it
 * (see {@link #executor(Executor)}). What COM lacks: a cancel that arrives before a call starts,
 * cancelling a series of calls, and timeouts that travel.
 *
 * <p>Cancelling a scope is a state, not an event. Calls pending in it are cancelled with the
 * scope's {@linkplain Builder#grace(Duration) grace}; calls started in it later fail at once with
 * {@link CallCancelledException} ({@link CallCancelledException.Outcome#NOT_SENT}) without touching
 * the network. So a cancel can never fall between two calls, and no re-cancelling timer is needed.
 * Cancel from any thread, at any moment. Thread-safe, except that {@link #close()} belongs to the
 * opening thread.
 *
 * <p>Scopes nest: a scope opened inside another (or inside a call being served) is its child.
 * Cancelling the parent cancels the child; cancelling the child leaves the parent alone. A deadline
 * is the earlier of the scope's own and its parent's. When it passes the scope cancels itself; the
 * remaining time travels with every call, so the server sees {@link Cancellation#deadline()} and
 * its own outbound calls inherit it, hop after hop.
 *
 * <pre>{@code
 * try (CancelScope scope = CancelScope.withTimeout(Duration.ofMillis(500))) {
 *   a.prepare();          // each call gets the time that is left
 *   b.convert(doc);       // ... and fails at once if the time is up
 * }
 * }</pre>
 *
 * <p>Close the scope on the thread that opened it (try-with-resources). Closing does not cancel
 * calls still pending in it (asynchronous ones); {@link #cancel()} still reaches them.
 */
public final class CancelScope implements AutoCloseable {
  /** Grace of a scope unless {@link Builder#grace} says otherwise: one second. */
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(1);

  private final CancelNode node;
  private final Duration grace;
  private final Thread owner;
  private final CancelNode previous;
  private volatile boolean closed;

  private CancelScope(CancelNode node, Duration grace) {
    this.node = node;
    this.grace = grace;
    this.owner = Thread.currentThread();
    this.previous = CallContext.enter(node);
  }

  /** Opens a scope without a deadline on the current thread. */
  public static CancelScope open() {
    return builder().open();
  }

  /** Opens a scope that cancels itself {@code timeout} from now. */
  public static CancelScope withTimeout(Duration timeout) {
    return builder().timeout(timeout).open();
  }

  /** Opens a scope that cancels itself at {@code deadline}. */
  public static CancelScope withDeadline(Instant deadline) {
    return builder().deadline(deadline).open();
  }

  /**
   * Runs {@code call} in a scope with {@code timeout} and returns its result: the per-call form of
   * {@link #withTimeout(Duration)}. A checked exception {@code call} throws propagates as itself,
   * unwrapped, and the compiler knows its type: {@code callWithTimeout(t, () -> parser.parse(f))}
   * throws what {@code parse} declares, and nothing checked when the body throws nothing checked.
   * (A {@code Supplier} or {@code Callable} you hold fits as {@code supplier::get} or
   * {@code callable::call}.)
   *
   * @throws DeadlineExceededException when a call inside ran out of time
   * @throws X what {@code call} threw
   */
  @SuppressWarnings("try") // the scope only needs closing
  public static <T, X extends Exception> T callWithTimeout(Duration timeout, Body<T, X> call)
      throws X {
    Objects.requireNonNull(call, "call");
    try (CancelScope s = withTimeout(timeout)) {
      return call.call();
    }
  }

  /**
   * Code run by {@link #callWithTimeout}: returns a value and may throw the checked exception
   * {@code X} (inferred from the lambda; {@code RuntimeException} when it throws nothing checked).
   *
   * @param <T> what it returns
   * @param <X> the checked exception it may throw
   */
  @FunctionalInterface
  public interface Body<T, X extends Exception> {
    /** Runs the code. */
    T call() throws X;
  }

  /** Starts describing a scope. */
  public static Builder builder() {
    return new Builder();
  }

  /** Cancels the scope (and its children) with the reason "cancelled". Idempotent. */
  public void cancel() {
    cancel("cancelled");
  }

  /**
   * Cancels the scope (and its children): pending calls are cancelled with the scope's grace,
   * later calls fail at once. The first reason is kept and reported by the calls' exceptions.
   */
  public void cancel(String reason) {
    node.cancel(CancelReason.of(Objects.requireNonNull(reason, "reason"), Grace.toNanos(grace)));
  }

  /** True once cancelled, including by its deadline or by a parent. */
  public boolean isCancelled() {
    return node.isCancelled();
  }

  /** Why the scope was cancelled, if it was. */
  public Optional<String> cancellationReason() {
    CancelReason r = node.reason();
    return r == null ? Optional.empty() : Optional.of(r.message());
  }

  /** The effective deadline (its own or a parent's, whichever is earlier), if any. */
  public Optional<Instant> deadline() {
    Deadline d = node.deadline();
    return d == null ? Optional.empty() : Optional.of(d.toInstant());
  }

  /** How long calls pending at cancellation may wait for their servers. */
  public Duration grace() {
    return grace;
  }

  /**
   * Runs {@code callback} once when the scope is cancelled, or at once on this thread if it
   * already is. It runs on a virtual thread of its own (callbacks of one scope one after another),
   * never on the thread that cancels, so it may block. Close the registration to forget it.
   */
  public Registration onCancel(Runnable callback) {
    Objects.requireNonNull(callback, "callback");
    CancelNode.Removal r = node.addCallback(callback);
    return r::remove;
  }

  /**
   * Makes this scope the current one on the calling thread until the returned registration is
   * closed (on that thread), so calls the thread makes belong to it.
   *
   * @throws IllegalStateException when the scope is closed
   */
  public Registration join() {
    if (closed) {
      throw new IllegalStateException("the scope is closed");
    }
    CancelNode before = CallContext.enter(node);
    return () -> CallContext.restore(before);
  }

  /** {@code task} made to run inside this scope, on whatever thread runs it. */
  public Runnable wrap(Runnable task) {
    Objects.requireNonNull(task, "task");
    return () -> {
      try (Registration r = join()) {
        task.run();
      }
    };
  }

  /** {@code task} made to run inside this scope, on whatever thread runs it. */
  public <T> Callable<T> wrap(Callable<T> task) {
    Objects.requireNonNull(task, "task");
    return () -> {
      try (Registration r = join()) {
        return task.call();
      }
    };
  }

  /** An executor that runs every task inside this scope on {@code executor}. */
  public Executor executor(Executor executor) {
    Objects.requireNonNull(executor, "executor");
    return task -> executor.execute(wrap(task));
  }

  /**
   * Leaves the scope: the thread's previous scope is current again. Close on the opening thread.
   * Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    if (Thread.currentThread() != owner) {
      throw new IllegalStateException("close a CancelScope on the thread that opened it: " + owner);
    }
    closed = true;
    CallContext.restore(previous);
    node.close();
  }

  /** The scope's node, for registrations that attach to it. */
  dev.tether.internal.cancel.CancelNode node() {
    return node;
  }

  @Override
  public String toString() {
    return "CancelScope[" + (isCancelled() ? "cancelled: " + cancellationReason().orElse("") : "active")
        + deadline().map(d -> ", deadline " + d).orElse("") + ", grace " + grace + "]";
  }

  /** Describes a scope before {@link #open()}ing it. */
  public static final class Builder {
    private Duration timeout;
    private Instant deadline;
    private Duration grace = DEFAULT_GRACE;

    private Builder() {}

    /** The scope cancels itself {@code timeout} after it is opened. */
    public Builder timeout(Duration timeout) {
      Grace.toNanos(timeout);
      this.timeout = timeout;
      this.deadline = null;
      return this;
    }

    /** The scope cancels itself at {@code deadline}. */
    public Builder deadline(Instant deadline) {
      this.deadline = Objects.requireNonNull(deadline, "deadline");
      this.timeout = null;
      return this;
    }

    /** How long calls pending at cancellation may wait for their servers. Default one second. */
    public Builder grace(Duration grace) {
      Grace.toNanos(grace);
      this.grace = grace;
      return this;
    }

    /**
     * Opens the scope on the current thread, as a child of the thread's current scope (or of the
     * call being served) if there is one.
     */
    public CancelScope open() {
      Clock clock = Clock.system();
      Deadline at = timeout != null ? Deadline.after(timeout, clock)
          : deadline != null ? Deadline.at(deadline, clock) : null;
      CancelNode node = CancelNode.create(CallContext.current(), at, Grace.toNanos(grace));
      return new CancelScope(node, grace);
    }
  }
}
