package dev.tether.observe;

import dev.tether.CallInfo;
import dev.tether.CallListener;
import dev.tether.CallOutcome;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/** A fake listener that records every callback, per call, with the thread it ran on. */
final class RecordingListener implements CallListener {
  /** One callback. */
  record Seen(String what, CallInfo call, CallOutcome outcome, Throwable failure, Cancel cancel,
      String thread) {}

  final ConcurrentLinkedQueue<Seen> all = new ConcurrentLinkedQueue<>();
  final ConcurrentHashMap<CallInfo, List<Seen>> byCall = new ConcurrentHashMap<>();

  private void add(Seen s) {
    all.add(s);
    byCall.computeIfAbsent(s.call(), c -> new CopyOnWriteArrayList<>()).add(s);
  }

  @Override
  public void started(CallInfo call) {
    add(new Seen("started", call, null, null, null, Thread.currentThread().getName()));
  }

  @Override
  public void cancelled(CallInfo call, Cancel cancel) {
    add(new Seen("cancelled", call, null, null, cancel, Thread.currentThread().getName()));
  }

  @Override
  public void ended(CallInfo call, CallOutcome outcome, Throwable failure) {
    add(new Seen("ended", call, outcome, failure, null, Thread.currentThread().getName()));
  }

  /** The ended callbacks so far. */
  List<Seen> ends() {
    return all.stream().filter(s -> s.what().equals("ended")).toList();
  }

  /** The callbacks' names for one call, in order. */
  static List<String> order(List<Seen> seen) {
    return seen.stream().map(Seen::what).toList();
  }
}
