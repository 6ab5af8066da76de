package io.meshlog.reconciliation.replay;

import java.util.Comparator;
import java.util.List;

/** Builds witness lists: names nodes and orders witnesses by node, then journal index. */
final class Witnesses {
  private final String[] names;

  Witnesses(String[] names) {
    this.names = names;
  }

  String name(int node) {
    return names[node];
  }

  /** Adds {@code node}'s first delivery (or publication) of {@code m}. */
  void delivery(List<Witness> out, MessageState m, int node) {
    out.add(
        new Witness(names[node], m.index[node], MessageState.eventType(m.via[node]), m.time[node]));
  }

  void mark(List<Witness> out, int node, NodeTimeline.Mark mark) {
    out.add(new Witness(names[node], mark.index(), mark.type(), mark.timeNanos()));
  }

  /** Sorted by node name then index, without repeats. */
  List<Witness> sorted(List<Witness> w) {
    return w.stream()
        .distinct()
        .sorted(Comparator.comparing(Witness::node).thenComparingLong(Witness::index))
        .toList();
  }
}
