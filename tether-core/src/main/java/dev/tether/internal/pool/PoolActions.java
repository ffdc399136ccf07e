package dev.tether.internal.pool;

import java.util.ArrayList;
import java.util.List;

/**
 * What the pool decided under its lock and does after releasing it: close workers, start new ones
 * or replacements, ask workers whether released calls have finished, signal termination. Confined
 * to one thread.
 */
final class PoolActions {
  final List<PooledWorker> close = new ArrayList<>(0);
  final List<PooledWorker> replace = new ArrayList<>(0);
  final List<PooledWorker> reconcile = new ArrayList<>(0);
  int grow;
  boolean terminated;

  boolean isEmpty() {
    return close.isEmpty() && replace.isEmpty() && reconcile.isEmpty() && grow == 0 && !terminated;
  }
}
