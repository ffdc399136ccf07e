package dev.tether.internal.cancel;

import dev.tether.CallMetadata;

/**
 * The cancellation context of the current thread: the innermost cancel scope it is in, or the
 * served call it is running. Outbound calls made on the thread are registered under it, so
 * cancelling the scope (or the served call) cancels them, and its deadline travels with them.
 */
public final class CallContext {
  private static final ThreadLocal<CancelNode> CURRENT = new ThreadLocal<>();
  private static final ThreadLocal<CallMetadata> METADATA = new ThreadLocal<>();

  private CallContext() {}

  /** The current node, or null. */
  public static CancelNode current() {
    return CURRENT.get();
  }

  /** Makes {@code node} current and returns the node it replaces (to pass to {@link #restore}). */
  public static CancelNode enter(CancelNode node) {
    CancelNode previous = CURRENT.get();
    CURRENT.set(node);
    return previous;
  }

  /** Restores what {@link #enter} returned. */
  public static void restore(CancelNode previous) {
    if (previous == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(previous);
    }
  }

  /** The metadata current on this thread, or null for none (see {@code CallMetadata}). */
  public static CallMetadata metadata() {
    return METADATA.get();
  }

  /** Makes {@code metadata} (null or empty: none) current; returns what it replaces (or null). */
  public static CallMetadata setMetadata(CallMetadata metadata) {
    CallMetadata previous = METADATA.get();
    if (metadata == null || metadata.isEmpty()) {
      METADATA.remove();
    } else {
      METADATA.set(metadata);
    }
    return previous;
  }
}
