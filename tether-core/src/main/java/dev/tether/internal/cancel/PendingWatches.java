package dev.tether.internal.cancel;

import dev.tether.PendingCallWatch;
import dev.tether.Registration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Where per-scope and per-thread {@link PendingCallWatch}es are registered, and how a new call
 * finds the ones that apply to it. Until the first registration {@link #any()} is false, so calls
 * pay one volatile read; afterwards a call collects the current thread's watches and those of its
 * scope and the scopes around it. Thread-safe: scope registrations are kept in a synchronized
 * weak map (a scope that is dropped takes its watches with it); thread registrations in a
 * thread-local stack changed only by their thread.
 */
public final class PendingWatches {
  private static volatile boolean any;
  private static final Map<CancelNode, List<PendingCallWatch>> BY_SCOPE =
      Collections.synchronizedMap(new WeakHashMap<>());
  private static final ThreadLocal<List<PendingCallWatch>> BY_THREAD = new ThreadLocal<>();

  private PendingWatches() {}

  /** False until a scope or thread watch was ever registered. */
  public static boolean any() {
    return any;
  }

  /** Registers {@code watch} for the current thread's calls until the registration is closed. */
  public static Registration pushOnThread(PendingCallWatch watch) {
    any = true;
    List<PendingCallWatch> mine = BY_THREAD.get();
    if (mine == null) {
      mine = new ArrayList<>(2);
      BY_THREAD.set(mine);
    }
    mine.add(watch);
    List<PendingCallWatch> list = mine;
    Thread owner = Thread.currentThread();
    return () -> {
      if (Thread.currentThread() != owner) {
        throw new IllegalStateException("a thread's pending-call watch is closed by its thread");
      }
      int i = list.lastIndexOf(watch);
      if (i >= 0) {
        list.remove(i);
      }
      if (list.isEmpty()) {
        BY_THREAD.remove();
      }
    };
  }

  /** Registers {@code watch} for calls made in {@code scope} and the scopes opened inside it. */
  public static Registration addToScope(CancelNode scope, PendingCallWatch watch) {
    any = true;
    synchronized (BY_SCOPE) {
      List<PendingCallWatch> list = new ArrayList<>(BY_SCOPE.getOrDefault(scope, List.of()));
      list.add(watch);
      BY_SCOPE.put(scope, List.copyOf(list));
    }
    return () -> {
      synchronized (BY_SCOPE) {
        List<PendingCallWatch> list = new ArrayList<>(BY_SCOPE.getOrDefault(scope, List.of()));
        list.remove(watch);
        if (list.isEmpty()) {
          BY_SCOPE.remove(scope);
        } else {
          BY_SCOPE.put(scope, List.copyOf(list));
        }
      }
    };
  }

  /**
   * The watches that apply to a call the current thread makes now in {@code scope} (may be null),
   * appended to {@code into}: the thread's, then the scope's and its ancestors'.
   */
  public static void collect(CancelNode scope, List<PendingCallWatch> into) {
    List<PendingCallWatch> mine = BY_THREAD.get();
    if (mine != null) {
      into.addAll(mine);
    }
    for (CancelNode n = scope; n != null; n = n.parent()) {
      List<PendingCallWatch> w = BY_SCOPE.get(n);
      if (w != null) {
        into.addAll(w);
      }
    }
  }
}
