package dev.tether.internal.process;

import java.util.ArrayDeque;

/** The last lines a process wrote, bounded in lines and characters. Thread-safe. */
final class OutputTail {
  private final int maxLines;
  private final int maxChars;
  private final ArrayDeque<String> lines = new ArrayDeque<>();
  private int chars;

  OutputTail(int maxLines, int maxChars) {
    this.maxLines = maxLines;
    this.maxChars = maxChars;
  }

  synchronized void add(String line) {
    if (line.length() > maxChars) {
      line = line.substring(0, maxChars) + "...";
    }
    lines.addLast(line);
    chars += line.length();
    while (lines.size() > maxLines || chars > maxChars) {
      chars -= lines.removeFirst().length();
    }
  }

  @Override
  public synchronized String toString() {
    return lines.isEmpty() ? "(nothing)" : String.join("\n", lines);
  }
}
