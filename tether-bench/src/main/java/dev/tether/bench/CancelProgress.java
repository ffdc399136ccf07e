package dev.tether.bench;

import java.io.Serializable;

/**
 * What a server reports during {@code cancel_10k}.
 *
 * @param started calls of {@code awaitCancel} that reached the server method
 * @param observed cancels the server method saw
 * @param reachedAtNanos {@link System#nanoTime()} when {@code observed} reached the expected
 *     count, or 0
 */
public record CancelProgress(int started, int observed, long reachedAtNanos)
    implements Serializable {
  private static final long serialVersionUID = 1L;
}
