package dev.tether.testing;

import dev.tether.Cancellation;
import dev.tether.Registration;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What one method of a {@link Faults} wrapper does before (or instead of) running the real
 * implementation, and what its calls did so far. One behaviour at a time:
 *
 * <ul>
 *   <li>{@link #passThrough()} (the start): runs the real method;
 *   <li>{@link #delay(Duration)}: slow; each call waits until {@link #release()} or the delay
 *       elapses, then runs the real method;
 *   <li>{@link #hang()}: each call waits until it is cancelled (it then ends as a cooperative
 *       method does, acknowledging the cancel) or released (it then runs the real method);
 *   <li>{@link #hangIgnoringCancel()}: each call waits until released, noting but ignoring a
 *       cancel, like code that never checks: the caller's grace runs out and the cancel reports
 *       {@code FORCED}; the call goes on as an orphan until released;
 *   <li>{@link #fail(Exception)}: each call throws that exception (the caller gets it as the
 *       real method's would arrive: a checked exception the method declares as itself, anything
 *       else as a {@code RemoteException} carrying its type and message).
 * </ul>
 *
 * <p>Latches instead of sleeps: {@link #awaitEntered()} returns once a call arrived,
 * {@link #awaitCancelSeen()} once a call saw its cancel, {@link #awaitExited()} once a call left
 * the fault. {@link #release()} is sticky: it lets the calls held now and every later call through
 * until the behaviour is set again. Every wait is bounded (the await methods by their timeout, a
 * held call by the {@link Faults#holdLimit hold limit}).
 *
 * <p>Thread-safe; the server's threads run {@link #apply()} while the test configures and awaits.
 */
public final class Fault {
  /** How long the await methods without a timeout wait. */
  public static final Duration DEFAULT_AWAIT = Duration.ofSeconds(10);

  private enum Mode { PASS, DELAY, HANG, HANG_IGNORING_CANCEL, FAIL }

  private final String name;
  private final Supplier<Duration> holdLimit;
  private final Object lock = new Object();
  // All guarded by lock.
  private Mode mode = Mode.PASS;
  private Duration delay = Duration.ZERO;
  private Exception failure;
  private boolean released;
  private int entered;
  private int cancelsSeen;
  private int exited;

  Fault(String name, Supplier<Duration> holdLimit) {
    this.name = name;
    this.holdLimit = holdLimit;
  }

  /**
   * Calls run the real method at once.
   *
   * @return this
   */
  public Fault passThrough() {
    return set(Mode.PASS, Duration.ZERO, null);
  }

  /**
   * Calls are slow: each waits until {@link #release()} or until {@code delay} elapsed (real
   * time), whichever comes first, then runs the real method. A cancel does not shorten the wait.
   *
   * @return this
   */
  public Fault delay(Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative");
    }
    return set(Mode.DELAY, delay, null);
  }

  /**
   * Calls hang until cancelled or released: a cancelled call throws the cancellation, as a method
   * that checks {@link Cancellation#throwIfCancelled()} does; a released one runs the real method.
   *
   * @return this
   */
  public Fault hang() {
    return set(Mode.HANG, Duration.ZERO, null);
  }

  /**
   * Calls hang until released, whatever cancels arrive (each is counted in
   * {@link #cancelsSeen()}): the caller's cancel grace runs out, it is released with a
   * {@code FORCED} outcome, and the call becomes an orphan in the server until released.
   *
   * @return this
   */
  public Fault hangIgnoringCancel() {
    return set(Mode.HANG_IGNORING_CANCEL, Duration.ZERO, null);
  }

  /**
   * Calls throw {@code failure} instead of running the real method. A checked exception should
   * be one the method declares (another one arrives wrapped, as from any proxy).
   *
   * @return this
   */
  public Fault fail(Exception failure) {
    return set(Mode.FAIL, Duration.ZERO, Objects.requireNonNull(failure, "failure"));
  }

  private Fault set(Mode mode, Duration delay, Exception failure) {
    synchronized (lock) {
      this.mode = mode;
      this.delay = delay;
      this.failure = failure;
      this.released = false;
      lock.notifyAll(); // calls held under the old behaviour re-read it
    }
    return this;
  }

  /** Lets every held call go on, and every later call pass, until the behaviour is set again. */
  public void release() {
    synchronized (lock) {
      released = true;
      lock.notifyAll();
    }
  }

  /** Calls that have arrived so far. */
  public int entered() {
    synchronized (lock) {
      return entered;
    }
  }

  /** Calls that saw their cancel while held so far. */
  public int cancelsSeen() {
    synchronized (lock) {
      return cancelsSeen;
    }
  }

  /** Calls that have left the fault so far (to run the real method, or with an exception). */
  public int exited() {
    synchronized (lock) {
      return exited;
    }
  }

  /**
   * Waits until at least one call arrived, at most {@link #DEFAULT_AWAIT}.
   *
   * @throws AssertionError when none arrived in time
   * @throws InterruptedException when interrupted while waiting
   */
  public void awaitEntered() throws InterruptedException {
    awaitEntered(1, DEFAULT_AWAIT);
  }

  /**
   * Waits until at least {@code calls} calls arrived, at most {@code timeout}.
   *
   * @throws AssertionError when fewer arrived in time
   * @throws InterruptedException when interrupted while waiting
   */
  public void awaitEntered(int calls, Duration timeout) throws InterruptedException {
    await(() -> entered >= calls, calls + " call(s) to arrive", timeout);
  }

  /**
   * Waits until at least one held call saw its cancel, at most {@link #DEFAULT_AWAIT}.
   *
   * @throws AssertionError when none did in time
   * @throws InterruptedException when interrupted while waiting
   */
  public void awaitCancelSeen() throws InterruptedException {
    awaitCancelSeen(1, DEFAULT_AWAIT);
  }

  /**
   * Waits until at least {@code calls} held calls saw their cancel, at most {@code timeout}.
   *
   * @throws AssertionError when fewer did in time
   * @throws InterruptedException when interrupted while waiting
   */
  public void awaitCancelSeen(int calls, Duration timeout) throws InterruptedException {
    await(() -> cancelsSeen >= calls, calls + " call(s) to see their cancel", timeout);
  }

  /**
   * Waits until at least one call left the fault, at most {@link #DEFAULT_AWAIT}.
   *
   * @throws AssertionError when none did in time
   * @throws InterruptedException when interrupted while waiting
   */
  public void awaitExited() throws InterruptedException {
    awaitExited(1, DEFAULT_AWAIT);
  }

  /**
   * Waits until at least {@code calls} calls left the fault, at most {@code timeout}.
   *
   * @throws AssertionError when fewer did in time
   * @throws InterruptedException when interrupted while waiting
   */
  public void awaitExited(int calls, Duration timeout) throws InterruptedException {
    await(() -> exited >= calls, calls + " call(s) to leave", timeout);
  }

  private interface Condition {
    boolean holds();
  }

  private void await(Condition c, String what, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (!c.holds()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(name + ": waited " + timeout.toMillis() + " ms for " + what
              + "; entered " + entered + ", saw cancel " + cancelsSeen + ", left " + exited);
        }
        waitNanos(left);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <X extends Exception> X sneaky(Exception e) throws X {
    throw (X) e;
  }

  /** Runs on the serving thread before the real method; returns to let it run, or throws. */
  @SuppressWarnings("try") // the registration is only closed
  void apply() {
    boolean[] cancelled = new boolean[1];
    synchronized (lock) {
      entered++;
      lock.notifyAll();
    }
    try (Registration r = watchCancel(cancelled)) {
      hold(cancelled);
    } finally {
      synchronized (lock) {
        exited++;
        lock.notifyAll();
      }
    }
  }

  /** Notes the cancel of the call being served; outside a served call there is none to note. */
  private Registration watchCancel(boolean[] cancelled) {
    try {
      return Cancellation.onCancel(() -> {
        synchronized (lock) {
          cancelled[0] = true;
          cancelsSeen++;
          lock.notifyAll();
        }
      });
    } catch (IllegalStateException notServing) {
      return () -> {};
    }
  }

  private void hold(boolean[] cancelled) {
    long start = System.nanoTime();
    synchronized (lock) {
      while (true) {
        Mode m = mode;
        if (m == Mode.PASS || released) {
          return;
        }
        if (m == Mode.FAIL) {
          throw Fault.<RuntimeException>sneaky(failure);
        }
        if (m == Mode.HANG && cancelled[0]) {
          Cancellation.throwIfCancelled();
          throw new IllegalStateException(name + ": cancelled, but the call is not");
        }
        long limit = m == Mode.DELAY ? delay.toNanos() : holdLimit.get().toNanos();
        long left = start + limit - System.nanoTime();
        if (left <= 0) {
          if (m == Mode.DELAY) {
            return;
          }
          throw new IllegalStateException(name + " was held " + holdLimit.get().toSeconds()
              + " s without a release (the Faults hold limit): release it in the test");
        }
        try {
          waitNanos(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          if (m == Mode.HANG) {
            Cancellation.throwIfCancelled();
          }
          throw new IllegalStateException(name + " was interrupted while held", e);
        }
      }
    }
  }

  private void waitNanos(long nanos) throws InterruptedException {
    lock.wait(Math.max(1, (nanos + 999_999) / 1_000_000));
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "Fault(" + name + ": " + mode + (released ? ", released" : "") + ")";
    }
  }
}
