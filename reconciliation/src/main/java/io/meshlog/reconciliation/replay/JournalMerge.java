package io.meshlog.reconciliation.replay;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventView;
import java.util.ArrayList;
import java.util.List;

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
 * <p>Events are read in place ({@link EventView}); the heap is an array of sources whose top is
 * sifted down after each step, one pass of comparisons per event, nothing allocated. Memory is one
 * record per journal. Not thread-safe; owned by the replay thread.
 */
final class JournalMerge {

  /** Receives the merged events, read in place; {@code e} is valid only during the call. */
  interface ViewConsumer {
    void accept(int node, long index, EventView e);
  }

  /** Receives the merged events decoded; {@code e} is valid only during the call. */
  interface Consumer {
    void accept(int node, long index, Event e);
  }

  /** A journal whose reading stopped at damage (kept only when skipping bad input). */
  record Cut(JournalSource source, ReplayException failure) {}

  private JournalMerge() {}

  /**
   * Feeds every event of every source to {@code consumer}, decoded into a reused {@link Event}, in
   * merged order. Slower than {@link #runInPlace}: for consumers that want whole events.
   */
  static List<Cut> run(List<JournalSource> sources, Consumer consumer, boolean skipBad) {
    Event scratch = new Event();
    ViewConsumer decoding = (node, index, e) -> consumer.accept(node, index, e.toEvent(scratch));
    return runInPlace(sources, decoding, skipBad);
  }

  /**
   * Feeds every event of every source to {@code consumer} in merged order.
   *
   * @param skipBad when true a damaged journal stops contributing at the damage and is listed in
   *     the result; when false the damage is thrown
   * @return the journals cut short by damage
   */
  static List<Cut> runInPlace(List<JournalSource> sources, ViewConsumer consumer, boolean skipBad) {
    List<Cut> cuts = new ArrayList<>();
    JournalSource[] heap = new JournalSource[sources.size()];
    int n = 0;
    for (JournalSource s : sources) {
      if (step(s, skipBad, cuts)) {
        heap[n++] = s;
      }
    }
    for (int i = n / 2 - 1; i >= 0; i--) {
      siftDown(heap, n, i);
    }
    while (n > 0) {
      JournalSource s = heap[0];
      consumer.accept(s.node, s.headIndex, s.head);
      if (!step(s, skipBad, cuts)) {
        heap[0] = heap[--n];
        heap[n] = null;
      }
      siftDown(heap, n, 0);
    }
    return cuts;
  }

  private static void siftDown(JournalSource[] heap, int n, int i) {
    JournalSource s = heap[i];
    while (true) {
      int child = 2 * i + 1;
      if (child >= n) {
        break;
      }
      if (child + 1 < n && before(heap[child + 1], heap[child])) {
        child++;
      }
      if (!before(heap[child], s)) {
        break;
      }
      heap[i] = heap[child];
      i = child;
    }
    if (n > 0) {
      heap[i] = s;
    }
  }

  /** Merge order: time, then node (peer-id order), then journal index. */
  private static boolean before(JournalSource a, JournalSource b) {
    long ta = a.headTime;
    long tb = b.headTime;
    if (ta != tb) {
      return ta < tb;
    }
    if (a.node != b.node) {
      return a.node < b.node;
    }
    return a.headIndex < b.headIndex;
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
