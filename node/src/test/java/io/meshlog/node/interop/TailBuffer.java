package io.meshlog.node.interop;

import java.util.ArrayDeque;

/**
 * Keeps the last {@code maxChars} characters of a child process's stderr, line by line, so a
 * failing test can show what the js side said without an unbounded buffer. Thread-safe.
 */
final class TailBuffer {
  private final int maxChars;
  private final ArrayDeque<String> lines = new ArrayDeque<>();
  private int chars;
  private long dropped;

  TailBuffer(int maxChars) {
    this.maxChars = maxChars;
  }

  synchronized void add(String line) {
    lines.addLast(line);
    chars += line.length() + 1;
    while (chars > maxChars && lines.size() > 1) {
      chars -= lines.removeFirst().length() + 1;
      dropped++;
    }
  }

  /** The kept text, preceded by a note when earlier lines were dropped. */
  synchronized String text() {
    StringBuilder out = new StringBuilder(chars + 64);
    if (dropped > 0) {
      out.append("[... ").append(dropped).append(" earlier lines dropped]\n");
    }
    for (String line : lines) {
      out.append(line).append('\n');
    }
    return out.toString();
  }
}
