package io.meshlog.eventlog.journal;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.JournalCycle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the journal thread remembers of the events it writes so that it can restate them in a {@link
 * EventType#JOURNAL_CYCLE} record at the start of each cycle file: whose journal it is (the last
 * NODE_STARTED's peer and agent), the topics joined (JOIN to LEAVE) and each topic's mesh peers
 * (GRAFT to PRUNE or REMOVE_PEER). A NODE_STARTED or a NODE_STOPPED starts over; a JOURNAL_CYCLE
 * written into this journal (by a copy of another journal) replaces the state with its own.
 *
 * <p>Each event costs one switch on its type; only the few lifecycle, subscription and mesh events
 * touch the maps. Not thread-safe: owned by the journal thread.
 */
final class NodeStateTracker {
  private byte[] owner;
  private String agent;
  private final Map<String, List<byte[]>> topics = new LinkedHashMap<>();

  void accept(Event e) {
    EventType type = e.type();
    if (type == null) {
      return;
    }
    switch (type) {
      case NODE_STARTED -> {
        owner = e.peer() == null ? null : e.peer().clone();
        agent = e.text();
        topics.clear();
      }
      case JOURNAL_CYCLE -> restate(e);
      case NODE_STOPPED -> topics.clear();
      case JOIN -> {
        if (e.topic() != null) {
          topics.putIfAbsent(e.topic(), new ArrayList<>());
        }
      }
      case LEAVE -> {
        if (e.topic() != null) {
          topics.remove(e.topic());
        }
      }
      case GRAFT -> {
        List<byte[]> mesh = e.topic() == null ? null : topics.get(e.topic());
        if (mesh != null && e.peer() != null && indexOf(mesh, e.peer()) < 0) {
          mesh.add(e.peer().clone());
        }
      }
      case PRUNE -> {
        List<byte[]> mesh = e.topic() == null ? null : topics.get(e.topic());
        if (mesh != null && e.peer() != null) {
          remove(mesh, e.peer());
        }
      }
      case REMOVE_PEER -> {
        if (e.peer() != null) {
          for (List<byte[]> mesh : topics.values()) {
            remove(mesh, e.peer());
          }
        }
      }
      default -> {}
    }
  }

  /**
   * A JOURNAL_CYCLE passing through this journal (a copy of another journal's records): its owner
   * and state are this journal's from now on. One that cannot be read changes nothing.
   */
  private void restate(Event e) {
    JournalCycle cycle = JournalCycle.tryDecode(e.data()).orElse(null);
    if (cycle == null) {
      return;
    }
    if (e.peer() != null) {
      owner = e.peer().clone();
      agent = e.text();
    }
    topics.clear();
    for (JournalCycle.Topic t : cycle.topics()) {
      topics.put(t.topic(), new ArrayList<>(t.mesh()));
    }
  }

  /** Whether the journal's owner is known: a NODE_STARTED with a peer id was written. */
  boolean knowsOwner() {
    return owner != null;
  }

  /**
   * Fills {@code e} (cleared) with the JOURNAL_CYCLE record of the state now.
   *
   * @return {@code e}
   */
  Event cycleRecord(Event e, long timeNanos) {
    List<JournalCycle.Topic> joined = new ArrayList<>(topics.size());
    topics.forEach((topic, mesh) -> joined.add(new JournalCycle.Topic(topic, mesh)));
    return e.clear()
        .type(EventType.JOURNAL_CYCLE)
        .timeNanos(timeNanos)
        .peer(owner)
        .text(agent)
        .data(new JournalCycle(joined).encode());
  }

  private static int indexOf(List<byte[]> mesh, byte[] peer) {
    for (int i = 0; i < mesh.size(); i++) {
      if (Arrays.equals(mesh.get(i), peer)) {
        return i;
      }
    }
    return -1;
  }

  private static void remove(List<byte[]> mesh, byte[] peer) {
    int i = indexOf(mesh, peer);
    if (i >= 0) {
      mesh.remove(i);
    }
  }
}
