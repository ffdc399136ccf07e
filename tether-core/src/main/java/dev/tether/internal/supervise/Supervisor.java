package dev.tether.internal.supervise;

import dev.tether.ConnectionClosedException;
import dev.tether.ErrorCode;
import dev.tether.LivenessLostException;
import dev.tether.SupervisionPolicy;
import dev.tether.SupervisionStats.Kind;
import dev.tether.SupervisionStats.State;
import dev.tether.SupervisionStats;
import dev.tether.TetherException;
import dev.tether.WorkerCrashedException;
import dev.tether.WorkerFailedException;
import dev.tether.WorkerRestartedException;
import dev.tether.WorkerSpec;
import dev.tether.WorkerStartException;
import dev.tether.internal.cancel.Timers;
import dev.tether.internal.client.ClientConnection;
import dev.tether.internal.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The supervisor of a launched worker, and the connection source of its proxies. Calls go to the
 * current worker's connection (one volatile read). When the worker crashes, stops answering
 * pings, or (by policy) keeps running a call its caller gave up on, the worker is taken out of
 * service at once (its pending calls fail with a typed exception, new calls wait for the
 * replacement), stopped in bounded steps, and a new one is started from the same spec after a
 * jittered backoff, within the policy's restart intensity; beyond it the handle stays failed.
 *
 * <p>Concurrency: one lock guards the state; decisions are taken under it, and everything slow
 * (failing calls, stopping and starting processes) happens outside it, on virtual threads or the
 * thread that asked. Callers waiting for a replacement wait on a future completed at each state
 * change, bounded by the start timeout.
 */
public final class Supervisor implements HandleCore, WorkerInstance.Listener,
    HungCallWatch.Listener {
  private final WorkerSpec spec;
  private final SupervisionPolicy policy;
  private final SupervisionLog log;
  private final RestartIntensity intensity;
  private final Object lock = new Object();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private volatile ClientConnection serving;
  private volatile long retiredLateAnswers;
  private volatile String address;
  // guarded by lock
  private State state = State.RUNNING;
  private WorkerInstance current;
  private HungCallWatch watch;
  private final Set<WorkerInstance> alive = new HashSet<>();
  private CompletableFuture<Void> changed = new CompletableFuture<>();
  private WorkerFailedException failure;
  private int starting;

  private Supervisor(WorkerSpec spec) {
    this.spec = spec;
    this.policy = spec.supervision();
    this.log = new SupervisionLog(spec.name());
    this.intensity = new RestartIntensity(policy.maxRestarts(),
        policy.restartPeriod().toNanos(), policy.initialBackoff().toNanos(),
        policy.maxBackoff().toNanos(), System::nanoTime, ThreadLocalRandom.current());
  }

  /**
   * Starts the first worker and supervises it.
   *
   * @throws WorkerStartException when the first worker cannot start (no restart is attempted)
   */
  public static Supervisor launch(WorkerSpec spec) {
    Supervisor s = new Supervisor(spec);
    WorkerInstance w = WorkerInstance.start(spec, s, 1, List.of());
    synchronized (s.lock) {
      s.install(w);
    }
    return s;
  }

  /** Under the lock: makes {@code w} the serving worker. */
  private void install(WorkerInstance w) {
    current = w;
    alive.add(w);
    state = State.RUNNING;
    watch = new HungCallWatch(w, policy.hungCallLimit(), this);
    serving = w.connection();
    address = w.address();
    log.record(Kind.STARTED, w.pid(), "serving at " + w.address());
    signalLocked();
  }

  private void signalLocked() {
    changed.complete(null);
    changed = new CompletableFuture<>();
  }

  @Override
  public ClientConnection current() {
    ClientConnection c = serving;
    return c != null ? c : awaitServing();
  }

  /** The slow path: the worker is restarting, failed or shut down. */
  private ClientConnection awaitServing() {
    long bound = spec.startTimeout().plus(policy.maxBackoff()).plus(policy.stopTimeout())
        .toNanos();
    long until = Clock.system().nanoTime() + bound;
    while (true) {
      CompletableFuture<Void> next;
      synchronized (lock) {
        switch (state) {
          case RUNNING -> {
            return current.connection();
          }
          case FAILED -> throw new WorkerFailedException(failure.getMessage(), failure.history());
          case SHUTTING_DOWN, TERMINATED -> throw new ConnectionClosedException(
              "the handle of " + spec.name() + " is closed or shut down: it takes no new calls", null);
          default -> next = changed;
        }
      }
      long left = until - Clock.system().nanoTime();
      try {
        if (left <= 0) {
          throw new TimeoutException();
        }
        next.get(left, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        throw new TetherException(ErrorCode.UNAVAILABLE, "worker " + spec.name()
            + " is still restarting after " + Duration.ofNanos(bound));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TetherException(ErrorCode.CANCELLED,
            "interrupted while waiting for worker " + spec.name() + " to restart");
      } catch (ExecutionException e) {
        throw new IllegalStateException(e); // never completed exceptionally
      }
    }
  }

  @Override
  public String address() {
    return address;
  }

  @Override
  public String describe() {
    ClientConnection c = serving;
    return spec.name() + (c == null ? " (not serving)" : " at " + c.peer());
  }

  @Override
  public void failed(WorkerInstance worker, TetherException failure) {
    Kind kind = failure instanceof LivenessLostException ? Kind.LIVENESS_LOST : Kind.CRASHED;
    String detail = failure.getMessage();
    int tail = detail.indexOf("; its stderr ended with:");
    if (failure instanceof WorkerCrashedException crash && tail >= 0) {
      String last = crash.stderrTail().lines().reduce((a, b) -> b).orElse("");
      detail = detail.substring(0, tail) + "; last stderr line: " + last;
    }
    takeOutOfService(worker, kind, detail, null);
  }

  @Override
  public void hung(WorkerInstance worker, String detail) {
    if (policy.onHungCall() == SupervisionPolicy.HungAction.REPORT) {
      log.record(Kind.HUNG_REPORTED, worker.pid(), detail);
      return;
    }
    String message = "worker " + worker + " was killed because it was hung: " + detail;
    takeOutOfService(worker, Kind.KILLED_HUNG, detail,
        () -> new WorkerRestartedException(WorkerRestartedException.Reason.HUNG, message));
  }

  /** Restarts the current worker on request; its pending calls fail. No-op unless running. */
  public void restart(String why) {
    WorkerInstance w;
    synchronized (lock) {
      w = state == State.RUNNING ? current : null;
    }
    if (w != null) {
      String message = "worker " + w + " was restarted: " + why;
      takeOutOfService(w, Kind.RESTART_REQUESTED, why,
          () -> new WorkerRestartedException(WorkerRestartedException.Reason.REQUESTED, message));
    }
  }

  /**
   * Takes {@code worker} out of service (if it is still the serving one), fails its calls with
   * {@code callFailure} (null: they already failed), stops it, and schedules its replacement or
   * gives up.
   */
  private void takeOutOfService(WorkerInstance worker, Kind kind, String detail,
      Supplier<? extends TetherException> callFailure) {
    long backoff;
    HungCallWatch oldWatch;
    synchronized (lock) {
      if (current != worker || state != State.RUNNING) {
        return;
      }
      worker.markRetiring();
      serving = null;
      current = null;
      oldWatch = watch;
      watch = null;
      log.record(kind, worker.pid(), detail);
      backoff = kind == Kind.RESTART_REQUESTED ? 0 : intensity.tryRestart();
      if (backoff < 0) {
        giveUpLocked(worker.pid(), kind);
      } else {
        state = State.RESTARTING;
      }
      signalLocked();
    }
    if (callFailure != null) {
      worker.connection().failWith(callFailure);
    }
    // this may run on a reader or the timer thread: closing the watch's connection and stopping
    // the process wait, so they happen on a thread of their own
    Thread.ofVirtual().name("tether-retire " + worker.pid()).start(() -> {
      oldWatch.cancel();
      retire(worker, policy.stopTimeout(), "worker taken out of service (" + kind + ")");
    });
    if (backoff >= 0) {
      Timers.schedule(() -> Thread.ofVirtual().name("tether-restart").start(this::startReplacement),
          backoff);
    }
  }

  private void giveUpLocked(long pid, Kind why) {
    String reason = policy.maxRestarts() == 0 ? "restarting is off (maxRestarts 0)"
        : "more than " + policy.maxRestarts() + " restarts within " + policy.restartPeriod();
    log.record(Kind.GAVE_UP, pid, reason + " after " + why);
    StringBuilder sb = new StringBuilder("worker " + spec.name() + " failed for good: " + reason
        + "; history:");
    log.history().forEach(e -> sb.append("\n  ").append(e));
    failure = new WorkerFailedException(sb.toString(), log.history());
    state = State.FAILED;
  }

  private void startReplacement() {
    synchronized (lock) {
      if (state != State.RESTARTING) {
        return;
      }
      starting++; // termination waits for this start to end
    }
    WorkerInstance w;
    try {
      w = WorkerInstance.start(spec, this, log.starts() + 1,
          log.history().stream().map(Object::toString).toList());
    } catch (WorkerStartException e) {
      long backoff;
      synchronized (lock) {
        starting--;
        if (state != State.RESTARTING) {
          maybeTerminatedLocked();
          return;
        }
        log.record(Kind.START_FAILED, -1, e.getMessage().lines().findFirst().orElse(""));
        backoff = intensity.tryRestart();
        if (backoff < 0) {
          giveUpLocked(-1, Kind.START_FAILED);
          signalLocked();
          maybeTerminatedLocked();
          return;
        }
      }
      Timers.schedule(() -> Thread.ofVirtual().name("tether-restart").start(this::startReplacement),
          backoff);
      return;
    }
    boolean keep;
    synchronized (lock) {
      starting--;
      keep = state == State.RESTARTING;
      if (keep) {
        install(w);
      } else {
        alive.add(w);
      }
    }
    if (!keep) {
      retire(w, Duration.ZERO, "the handle was shut down while this worker started");
    }
  }

  /** Stops a worker and forgets it; completes termination when it was the last one. */
  private void retire(WorkerInstance w, Duration polite, String why) {
    w.stop(polite, policy.stopTimeout(), why);
    retiredLateAnswers += w.connection().lateAnswers();
    synchronized (lock) {
      alive.remove(w);
      maybeTerminatedLocked();
    }
  }

  private void maybeTerminatedLocked() {
    if ((state == State.SHUTTING_DOWN || state == State.TERMINATED) && alive.isEmpty()
        && current == null && starting == 0) {
      state = State.TERMINATED;
      terminated.complete(null);
    }
  }

  @Override
  public void shutdown() {
    shutdown(false);
  }

  @Override
  public void shutdownNow() {
    shutdown(true);
  }

  private void shutdown(boolean now) {
    WorkerInstance w;
    HungCallWatch oldWatch;
    synchronized (lock) {
      if (state == State.SHUTTING_DOWN || state == State.TERMINATED) {
        w = now ? current : null;
        oldWatch = null;
      } else {
        state = State.SHUTTING_DOWN;
        serving = null;
        w = current;
        oldWatch = watch;
        watch = null;
        signalLocked();
        maybeTerminatedLocked();
      }
    }
    if (oldWatch != null) {
      oldWatch.cancel();
    }
    if (w == null) {
      return;
    }
    w.markRetiring();
    Runnable finish = () -> {
      synchronized (lock) {
        if (current != w) {
          return;
        }
        current = null;
      }
      retire(w, spec.shutdownTimeout(), "connection closed by this client (shut down)");
    };
    if (now) {
      w.connection().close("connection closed by this client (shut down now)");
      finish.run();
    } else {
      w.connection().whenIdle(() -> Thread.ofVirtual().name("tether-shutdown").start(finish));
    }
  }

  @Override
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    try {
      terminated.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Duration closeBound() {
    return spec.shutdownTimeout().plus(policy.stopTimeout()).plus(Duration.ofSeconds(10));
  }

  @Override
  public boolean isOpen() {
    synchronized (lock) {
      return state == State.RUNNING || state == State.RESTARTING;
    }
  }

  @Override
  public int pendingCalls() {
    synchronized (lock) {
      return current == null ? 0 : current.connection().pendingCount();
    }
  }

  @Override
  public long discardedAnswers() {
    synchronized (lock) {
      return retiredLateAnswers + (current == null ? 0 : current.connection().lateAnswers());
    }
  }

  @Override
  public Optional<ProcessHandle> worker() {
    synchronized (lock) {
      return current == null ? Optional.empty() : Optional.of(current.handle());
    }
  }

  @Override
  public Optional<SupervisionStats> supervision() {
    synchronized (lock) {
      return Optional.of(log.snapshot(state, current == null ? -1 : current.pid()));
    }
  }
}
