package io.meshlog.reconciliation.replay;

import io.meshlog.eventlog.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Merges several journals into one stream in one pass: the k-way merge by event time, equal times
 * ordered by (node in peer-id order, journal index), so the same journals always merge the same way
 * whatever order they were given in. Each journal keeps its own order even when its clock steps
 * back: the merge only ever compares heads.
 *
 * <pre>
 *   journal A ─┐
 *   journal B ─┼─► heap of heads (time, node, index) ─► consumer
 *   journal C ─┘
 * </pre>
 *
 * <p>Not thread-safe; owned by the replay thread.
 */
final class JournalMerge {

  /** Receives the merged events; {@code e} is valid only during the call. */
  interface Consumer {
    void accept(int node, long index, Event e);
  }

  /** A journal whose reading stopped at damage (kept only when skipping bad input). */
  record Cut(JournalSource source, ReplayException failure) {}

  private JournalMerge() {}

  /**
   * Feeds every event of every source to {@code consumer} in merged order.
   *
   * @param skipBad when true a damaged journal stops contributing at the damage and is listed in
   *     the result; when false the damage is thrown
   * @return the journals cut short by damage
   */
  static List<Cut> run(List<JournalSource> sources, Consumer consumer, boolean skipBad) {
    PriorityQueue<JournalSource> heap =
        new PriorityQueue<>(
            Math.max(1, sources.size()),
            (a, b) -> {
              int c = Long.compare(a.head.timeNanos(), b.head.timeNanos());
              if (c != 0) {
                return c;
              }
              c = Integer.compare(a.node, b.node);
              return c != 0 ? c : Long.compare(a.headIndex, b.headIndex);
            });
    List<Cut> cuts = new ArrayList<>();
    for (JournalSource s : sources) {
      if (step(s, skipBad, cuts)) {
        heap.add(s);
      }
    }
    JournalSource s;
    while ((s = heap.poll()) != null) {
      consumer.accept(s.node, s.headIndex, s.head);
      if (step(s, skipBad, cuts)) {
        heap.add(s);
      }
    }
    return cuts;
  }

  private static boolean step(JournalSource s, boolean skipBad, List<Cut> cuts) {
    try {
      return s.advance();
    } catch (ReplayException e) {
      if (!skipBad) {
        throw e;
      }
      cuts.add(new Cut(s, e));
      return false;
    }
  }
}
