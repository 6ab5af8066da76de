package io.meshlog.node;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.disk.Journals;
import java.util.ArrayList;
import java.util.List;

/** Reads a running node's journal in tests, the way an operator's tool would. */
public final class NodeJournals {
  private NodeJournals() {}

  /**
   * The text of every event of {@code type} in {@code n}'s journal, in journal order. No catch: a
   * reader at the live end of a journal being written reads what is complete and stops there; a
   * JournalException here is a real fault.
   */
  public static List<String> texts(MeshlogNode n, EventType type) {
    List<String> out = new ArrayList<>();
    try (JournalReader r = Journals.openReader(n.config().dataDir().resolve("journal"))) {
      Event e = new Event();
      while (r.next(e) >= 0) {
        if (e.type() == type) {
          out.add(e.text());
        }
      }
    }
    return out;
  }

  /**
   * Every event of {@code type} in {@code n}'s journal, in journal order, each a copy of its own.
   */
  public static List<Event> events(MeshlogNode n, EventType type) {
    List<Event> out = new ArrayList<>();
    try (JournalReader r = Journals.openReader(n.config().dataDir().resolve("journal"))) {
      Event e = new Event();
      while (r.next(e) >= 0) {
        if (e.type() == type) {
          Event copy = new Event().copyFrom(e); // the reader reuses the decoded arrays
          copy.peer(e.peer() == null ? null : e.peer().clone());
          copy.messageId(e.messageId() == null ? null : e.messageId().clone());
          copy.data(e.data() == null ? null : e.data().clone());
          out.add(copy);
        }
      }
    }
    return out;
  }
}
