package io.meshlog.node;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalReader;

/**
 * Finds where a restarted node's Lamport clock resumes: the highest Lamport time among the last
 * events of its own journal (NODE_STOPPED carries the clock at a clean stop; PUBLISH_MESSAGE and
 * DELIVER_MESSAGE carry message times, which also covers a crash). Reading only the tail keeps
 * start-up time independent of the journal's size; a clock resumed from it can only be ahead of the
 * one that stopped by the messages in the window, never behind a time this node sent there.
 */
final class ClockRecovery {

  /** Journal indexes read back from the end; within one cycle file indexes are contiguous. */
  static final long WINDOW = 200_000;

  private ClockRecovery() {}

  /** The highest Lamport time in the journal's tail, 0 when there is none. */
  static long lastLamport(Journal journal) {
    long end = journal.appendedIndex();
    if (end < 0) {
      return 0;
    }
    long max = 0;
    try (JournalReader reader = journal.reader()) {
      reader.toAfter(Math.max(-1, end - WINDOW));
      Event e = new Event();
      while (reader.next(e.clear()) >= 0) {
        EventType t = e.type();
        if ((t == EventType.PUBLISH_MESSAGE
                || t == EventType.DELIVER_MESSAGE
                || t == EventType.NODE_STOPPED)
            && e.lamport() > max) {
          max = e.lamport();
        }
      }
    }
    return max;
  }
}
