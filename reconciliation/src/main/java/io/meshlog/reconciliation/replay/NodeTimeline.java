package io.meshlog.reconciliation.replay;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One node's life as its journal tells it, kept as intervals rather than events: process runs (from
 * a NODE_STARTED, or the journal's first event, to the last event before the next start), topic
 * subscriptions, and the times its mesh in a topic had peers. It answers, for a moment on the
 * node's own clock, "was it running, subscribed, in the mesh?" after the pass.
 *
 * <p>A subscription starts at JOIN (or, when retention deleted that, at the JOURNAL_CYCLE record
 * that restates it) and ends at LEAVE or at a clean NODE_STOPPED; a crash (a run that ends without
 * NODE_STOPPED) does not end it. A new run starts with an empty mesh.
 *
 * <p>An EVENTS_NOT_JOURNALED (the disk was full) opens a stretch in which the journal kept events
 * out: from its time (the first one kept out) to the next event written, where the journal wrote
 * again. What the node did then is unknown, so nothing it should have done then is judged.
 *
 * <p>Not thread-safe; owned by the replay thread.
 */
final class NodeTimeline {

  /** A journal event kept as a witness. */
  record Mark(long index, EventType type, long timeNanos) {}

  /** A process run: first and last event, and whether it ended with NODE_STOPPED. */
  static final class Run {
    Mark start;
    private long lastIndex;
    private EventType lastType;
    private long lastTime;
    boolean clean;

    Mark last() {
      return new Mark(lastIndex, lastType, lastTime);
    }

    long lastTimeNanos() {
      return lastTime;
    }
  }

  /** A subscription from JOIN to its end (null while open). */
  record Subscription(Mark join, Mark end) {}

  /** A stretch with at least one mesh peer; {@code end} null while it lasts. */
  record MeshStretch(long fromNanos, Mark end) {}

  /** Per-topic state. */
  private static final class TopicTrack {
    final List<Subscription> subscriptions = new ArrayList<>();
    Mark openJoin;
    final Set<Integer> mesh = new HashSet<>();
    final List<MeshStretch> meshStretches = new ArrayList<>();
    long meshFrom;
  }

  /** A stretch whose events the journal counted and did not write; {@code toNanos} inclusive. */
  record Unjournaled(Mark mark, long count, long toNanos) {}

  private final List<Run> runs = new ArrayList<>();
  private final List<Unjournaled> unjournaled = new ArrayList<>();
  private Mark openGap; // an EVENTS_NOT_JOURNALED waiting for the next event written
  private long openGapCount;
  private long notJournaled;
  private final List<TopicTrack> topics = new ArrayList<>();
  private Run current;

  List<Run> runs() {
    return runs;
  }

  /**
   * Feeds one event of this node's journal (journal order) that changes nothing but the run's last
   * event. Allocates nothing.
   */
  void touch(long index, EventType type, long timeNanos) {
    closeGap(timeNanos);
    if (current == null) {
      current = new Run();
      current.start = new Mark(index, type, timeNanos);
      runs.add(current);
    }
    current.lastIndex = index;
    current.lastType = type;
    current.lastTime = timeNanos;
  }

  /** Feeds one lifecycle, subscription or mesh event of this node's journal (journal order). */
  void accept(long index, Event e, int topic, int peer) {
    EventType type = e.type();
    Mark mark = new Mark(index, type, e.timeNanos());
    closeGap(e.timeNanos());
    if (current == null || type == EventType.NODE_STARTED) {
      if (current != null) {
        for (TopicTrack t : topics) {
          if (t != null) {
            clearMesh(t, mark);
          }
        }
      }
      current = new Run();
      current.start = mark;
      runs.add(current);
    }
    current.lastIndex = index;
    current.lastType = type;
    current.lastTime = e.timeNanos();
    switch (type) {
      case NODE_STOPPED -> {
        current.clean = true;
        for (TopicTrack t : topics) {
          if (t != null) {
            endSubscription(t, mark);
            clearMesh(t, mark);
          }
        }
      }
      case JOIN -> {
        TopicTrack t = track(topic);
        if (t != null && t.openJoin == null) {
          t.openJoin = mark;
        }
      }
      case LEAVE -> {
        TopicTrack t = track(topic);
        if (t != null) {
          endSubscription(t, mark);
        }
      }
      case GRAFT -> {
        TopicTrack t = track(topic);
        if (t != null && peer >= 0 && t.mesh.add(peer) && t.mesh.size() == 1) {
          t.meshFrom = e.timeNanos();
        }
      }
      case PRUNE -> {
        TopicTrack t = track(topic);
        if (t != null && peer >= 0 && t.mesh.remove(peer) && t.mesh.isEmpty()) {
          t.meshStretches.add(new MeshStretch(t.meshFrom, mark));
        }
      }
      case REMOVE_PEER -> {
        for (TopicTrack t : topics) {
          if (t != null && peer >= 0 && t.mesh.remove(peer) && t.mesh.isEmpty()) {
            t.meshStretches.add(new MeshStretch(t.meshFrom, mark));
          }
        }
      }
      default -> {}
    }
  }

  /**
   * Feeds one topic of a JOURNAL_CYCLE (after {@link #touch} of the record): the node had joined
   * {@code topic}, with {@code meshPeers} in its mesh, when the record was written. Where the
   * journal still holds the JOIN and GRAFTs this changes nothing; where retention deleted them, the
   * subscription and the mesh stretch start at this record.
   */
  void restate(long index, long timeNanos, int topic, int[] meshPeers) {
    TopicTrack t = track(topic);
    if (t == null) {
      return;
    }
    if (t.openJoin == null) {
      t.openJoin = new Mark(index, EventType.JOURNAL_CYCLE, timeNanos);
    }
    for (int peer : meshPeers) {
      if (peer >= 0 && t.mesh.add(peer) && t.mesh.size() == 1) {
        t.meshFrom = timeNanos;
      }
    }
  }

  /**
   * Feeds an EVENTS_NOT_JOURNALED: {@code count} events from {@code timeNanos} on were kept out;
   * the stretch ends at the next event written.
   */
  void notJournaled(long index, long timeNanos, long count) {
    touch(index, EventType.EVENTS_NOT_JOURNALED, timeNanos);
    openGap = new Mark(index, EventType.EVENTS_NOT_JOURNALED, timeNanos);
    openGapCount = count;
    notJournaled += Math.max(0, count);
  }

  private void closeGap(long nextWrittenNanos) {
    if (openGap != null) {
      Mark gap = openGap;
      openGap = null;
      unjournaled.add(
          new Unjournaled(gap, openGapCount, Math.max(gap.timeNanos(), nextWrittenNanos)));
    }
  }

  /** How many events this journal counted and did not write (the sum of EVENTS_NOT_JOURNALED). */
  long notJournaled() {
    return notJournaled;
  }

  /**
   * The stretch of kept-out events within {@code graceNanos} of {@code t} (own clock), or null:
   * what the node did at {@code t} may be among them.
   */
  Unjournaled unjournaledAround(long t, long graceNanos) {
    for (Unjournaled u : unjournaled) {
      if (t >= u.mark().timeNanos() - graceNanos && t <= u.toNanos() + graceNanos) {
        return u;
      }
    }
    return null;
  }

  /** Closes what is still open at the end of the journal. */
  void finish() {
    if (openGap != null && current != null) {
      closeGap(current.lastTime);
    }
    for (TopicTrack t : topics) {
      if (t != null) {
        if (t.openJoin != null) {
          t.subscriptions.add(new Subscription(t.openJoin, null));
          t.openJoin = null;
        }
        if (!t.mesh.isEmpty()) {
          t.meshStretches.add(new MeshStretch(t.meshFrom, null));
          t.mesh.clear();
        }
      }
    }
  }

  private static void endSubscription(TopicTrack t, Mark mark) {
    if (t.openJoin != null) {
      t.subscriptions.add(new Subscription(t.openJoin, mark));
      t.openJoin = null;
    }
  }

  private static void clearMesh(TopicTrack t, Mark mark) {
    if (!t.mesh.isEmpty()) {
      t.meshStretches.add(new MeshStretch(t.meshFrom, mark));
      t.mesh.clear();
    }
  }

  private TopicTrack track(int topic) {
    if (topic < 0) {
      return null;
    }
    while (topics.size() <= topic) {
      topics.add(null);
    }
    TopicTrack t = topics.get(topic);
    if (t == null) {
      t = new TopicTrack();
      topics.set(topic, t);
    }
    return t;
  }

  /** Whether {@code t} (own clock) lies between the journal's first and last event. */
  boolean covers(long t) {
    return !runs.isEmpty()
        && runs.get(0).start.timeNanos() <= t
        && t <= runs.get(runs.size() - 1).lastTimeNanos();
  }

  /** The subscription to {@code topic} joined before {@code t} and not ended by then, or null. */
  Subscription subscriptionAt(int topic, long t) {
    if (topic < 0 || topic >= topics.size() || topics.get(topic) == null) {
      return null;
    }
    for (Subscription s : topics.get(topic).subscriptions) {
      if (s.join().timeNanos() < t && (s.end() == null || s.end().timeNanos() > t)) {
        return s;
      }
    }
    return null;
  }

  /**
   * The run that was cut by a crash around {@code t}: {@code t} falls after its last event and
   * before the next run's start, or inside it less than {@code graceNanos} before its last event.
   * Null when the node was running normally at {@code t}.
   *
   * @return the index of that run in {@link #runs()}; the next run exists
   */
  int crashAround(long t, long graceNanos) {
    for (int i = 0; i + 1 < runs.size(); i++) {
      Run r = runs.get(i);
      if (r.clean) {
        continue;
      }
      long last = r.lastTimeNanos();
      long next = runs.get(i + 1).start.timeNanos();
      if (t < next && t > last - graceNanos && t >= r.start.timeNanos() - graceNanos) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The event after which the mesh in {@code topic} was empty at {@code t}, or null when it had a
   * peer then. When it never had one in the run holding {@code t}, the run's first event.
   */
  Mark meshEmptyAt(int topic, long t) {
    Mark emptiedBy = null;
    for (Run r : runs) {
      if (r.start.timeNanos() <= t) {
        emptiedBy = r.start;
      }
    }
    if (topic >= 0 && topic < topics.size() && topics.get(topic) != null) {
      for (MeshStretch s : topics.get(topic).meshStretches) {
        if (s.fromNanos() <= t && (s.end() == null || s.end().timeNanos() > t)) {
          return null;
        }
        if (s.end() != null
            && s.end().timeNanos() <= t
            && (emptiedBy == null || s.end().timeNanos() >= emptiedBy.timeNanos())) {
          emptiedBy = s.end();
        }
      }
    }
    return emptiedBy;
  }
}
