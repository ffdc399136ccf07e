package dev.tether.examples.risky;

import dev.tether.CancelScope;
import dev.tether.DeadlineExceededException;
import dev.tether.TetherException;
import java.time.Duration;
import java.util.Objects;

/**
 * The application's side: every call to the risky library gets a timeout, and every way it can
 * go wrong becomes an {@link Outcome} instead of a hung thread or an exception the caller forgets.
 * Thread-safe if the {@link Renderer} proxy is (Tether proxies are).
 */
public final class SafeRenderer {
  /** How a rendering ended. */
  public enum Status {
    /** Rendered. */
    OK,
    /** Took longer than the timeout; the call was cancelled and the caller released. */
    TIMED_OUT,
    /** The worker died, or was restarted, during the call. */
    WORKER_LOST,
    /** The library threw. */
    FAILED
  }

  /**
   * The result of one call.
   *
   * @param status how it ended
   * @param rendering what it produced, or null unless {@code OK}
   * @param detail why it did not succeed, or empty
   */
  public record Outcome(Status status, Renderer.Rendering rendering, String detail) {}

  private final Renderer renderer;
  private final Duration timeout;

  /** Renders through {@code renderer}, giving each call at most {@code timeout}. */
  public SafeRenderer(Renderer renderer, Duration timeout) {
    this.renderer = Objects.requireNonNull(renderer, "renderer");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** Renders {@code document}; never hangs longer than the timeout plus the cancel's grace. */
  public Outcome render(String document) {
    try {
      Renderer.Rendering r = CancelScope.callWithTimeout(timeout,
          () -> renderer.render(document));
      return new Outcome(Status.OK, r, "");
    } catch (DeadlineExceededException e) {
      return new Outcome(Status.TIMED_OUT, null, "no answer within " + timeout.toMillis()
          + " ms (" + e.outcome().name().toLowerCase() + ")");
    } catch (TetherException e) {
      return switch (e.code()) {
        case WORKER_CRASHED, WORKER_HUNG, WORKER_RESTARTED, WORKER_FAILED, LIVENESS_LOST,
            UNAVAILABLE ->
            new Outcome(Status.WORKER_LOST, null, e.getMessage());
        default -> new Outcome(Status.FAILED, null, e.getMessage());
      };
    }
  }
}
