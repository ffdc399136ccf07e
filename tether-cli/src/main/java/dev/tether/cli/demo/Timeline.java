package dev.tether.cli.demo;

import dev.tether.cli.Units;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A small picture of one cancellation on one time axis: who did what when, each event a bar from
 * the start to its time, so the gaps can be seen rather than read.
 *
 * <pre>
 *    caller called    ●                                              0
 *    cancel sent      ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━●           +1.02 ms
 *    server saw it    ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━●        +1.09 ms
 *    caller released  ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━●  +1.31 ms
 * </pre>
 *
 * <p>Times are {@link System#nanoTime()} readings, of this JVM or of a worker on the same machine
 * (both read the machine's monotonic clock on Linux). Unicode when standard output can print it,
 * ASCII otherwise; colour only on a terminal, and never with {@code NO_COLOR} set. Not
 * thread-safe: built and printed by the demo's main thread.
 */
final class Timeline {
  private static final int WIDTH = 44;
  private static final boolean UNICODE = Units.MICRO.equals("µ");
  private static final String DOT = UNICODE ? "●" : "o";
  private static final String BAR = UNICODE ? "━" : "-";
  private static final String COLOUR = "\u001b[36m";
  private static final String RESET = "\u001b[0m";

  private record Event(String label, long nanos) {}

  private final List<Event> events = new ArrayList<>();

  /** Adds an event at {@code nanos} ({@link System#nanoTime()}); the earliest is time zero. */
  Timeline at(String label, long nanos) {
    events.add(new Event(label, nanos));
    return this;
  }

  /** Prints the picture, indented to sit under the demo's lines. */
  void print(PrintStream out) {
    print(out, colourWanted());
  }

  /** Prints the picture, in colour or not. */
  void print(PrintStream out, boolean colour) {
    out.print(render(colour));
  }

  /** The picture as text, one line per event, in time order. */
  String render(boolean colour) {
    if (events.isEmpty()) {
      return "";
    }
    List<Event> inOrder = new ArrayList<>(events);
    inOrder.sort(java.util.Comparator.comparingLong(Event::nanos)); // stable: ties keep their order
    long zero = inOrder.get(0).nanos();
    long span = 1;
    int labelWidth = 0;
    for (Event e : inOrder) {
      span = Math.max(span, e.nanos() - zero);
      labelWidth = Math.max(labelWidth, e.label().length());
    }
    StringBuilder sb = new StringBuilder();
    for (Event e : inOrder) {
      long t = e.nanos() - zero;
      int x = (int) Math.round((double) Math.max(0, t) * WIDTH / span);
      sb.append("   ").append(e.label()).append(" ".repeat(labelWidth - e.label().length() + 2));
      if (colour) {
        sb.append(COLOUR);
      }
      sb.append(BAR.repeat(x)).append(DOT);
      if (colour) {
        sb.append(RESET);
      }
      sb.append(" ".repeat(WIDTH - x + 2)).append(t == 0 ? "0" : (t > 0 ? "+" : "")
          + Units.duration(t)).append('\n');
    }
    return sb.toString();
  }

  /** Colour on a terminal, unless {@code NO_COLOR} is set or the terminal is dumb. */
  static boolean colourWanted() {
    return System.console() != null && System.getenv("NO_COLOR") == null
        && !"dumb".equals(System.getenv("TERM"));
  }
}
