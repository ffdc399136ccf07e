package dev.tether.internal.supervise;

import dev.tether.SupervisionStats;
import dev.tether.SupervisionStats.Event;
import dev.tether.SupervisionStats.Kind;
import dev.tether.internal.event.Jfr;
import java.time.Instant;
import java.util.Locale;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The supervisor's counters and its most recent events (bounded), and the snapshot made of them.
 * Thread-safe (synchronized); events are also logged (logger {@code dev.tether.supervision}) at
 * DEBUG, giving up at WARNING: callers already get each failure as an exception.
 */
final class SupervisionLog {
  static final int MAX_EVENTS = 64;

  private final String name;
  private final ArrayDeque<Event> events = new ArrayDeque<>();
  private int starts;
  private int crashes;
  private int hungKills;
  private int livenessLosses;
  private int hungReports;

  SupervisionLog(String name) {
    this.name = name;
  }

  /** Records an event. */
  void record(Kind kind, long pid, String detail) {
    Event e = new Event(Instant.now(), kind, pid, detail);
    synchronized (this) {
      switch (kind) {
        case STARTED -> starts++;
        case CRASHED -> crashes++;
        case KILLED_HUNG -> {
          hungKills++;
          hungReports++;
        }
        case HUNG_REPORTED -> hungReports++;
        case LIVENESS_LOST -> livenessLosses++;
        default -> { }
      }
      events.addLast(e);
      if (events.size() > MAX_EVENTS) {
        events.removeFirst();
      }
    }
    Jfr.worker(name, kind == Kind.STARTED && e.pid() > 0 && starts() > 1 ? "restarted"
        : kind.name().toLowerCase(Locale.ROOT), pid, -1, null, detail);
    System.getLogger("dev.tether.supervision").log(kind == Kind.GAVE_UP
        ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG, name + ": " + e);
  }

  /** Workers started so far (the next one is number {@code starts() + 1}). */
  synchronized int starts() {
    return starts;
  }

  /** The events, oldest first. */
  synchronized List<Event> history() {
    return new ArrayList<>(events);
  }

  /** A snapshot. */
  synchronized SupervisionStats snapshot(SupervisionStats.State state, long pid) {
    return new SupervisionStats(state, pid, Math.max(0, starts - 1), crashes, hungKills,
        livenessLosses, hungReports, new ArrayList<>(events));
  }
}
