package io.meshlog.reconciliation.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Finds {@code fifo-inversion}, {@code causal-inversion} and {@code order-divergence} in one node's
 * delivery order of one topic, counted once per (node, displaced message).
 *
 * <p>The displaced messages are the fewest whose removal leaves the node's order in canonical order
 * ({@link LongestIncreasing}). Each displaced message m is paired with the kept messages it is
 * inverted with, in the node's delivery order; it gets the first anomaly of this list that one of
 * those pairs explains, against the first partner in delivery order that explains it:
 *
 * <ol>
 *   <li>same origin and the seqnos are inverted: {@code fifo-inversion} (a same-origin pair is
 *       never anything else);
 *   <li>different origins, and the origin of the canonically later one had delivered or published
 *       the earlier one before publishing it (one hop of happened-before, read from that origin's
 *       journal order): {@code causal-inversion};
 *   <li>different origins, and another node delivered the two in canonical order: {@code
 *       order-divergence} against the lowest such node.
 * </ol>
 *
 * A displaced message that no pair explains (every node that delivered both did so in this node's
 * order) is not an anomaly: the canonical order is not something nodes promise by themselves. At
 * most {@link #PARTNER_SCAN_LIMIT} partners are examined per displaced message.
 *
 * <p>Stateless apart from its inputs; not thread-safe.
 */
final class OrderAnalysis {
  /** Bounds the work for orders that are inverted everywhere. */
  static final int PARTNER_SCAN_LIMIT = 4096;

  private final List<MessageState> messages;
  private final int[] canon;
  private final int[] nodeOfPeer;
  private final Witnesses witnesses;
  private final IntFunction<String> hexIds;
  private final List<String> topicNames;

  OrderAnalysis(
      List<MessageState> messages,
      int[] canon,
      int[] nodeOfPeer,
      Witnesses witnesses,
      IntFunction<String> hexIds,
      List<String> topicNames) {
    this.messages = messages;
    this.canon = canon;
    this.nodeOfPeer = nodeOfPeer;
    this.witnesses = witnesses;
    this.hexIds = hexIds;
    this.topicNames = topicNames;
  }

  /** Appends the anomalies of {@code node}'s {@code order} (message numbers) to {@code out}. */
  void analyse(int node, IntList order, List<FoundAnomaly> out) {
    int n = order.size();
    if (n < 2) {
      return;
    }
    int[] ranks = new int[n];
    for (int i = 0; i < n; i++) {
      ranks[i] = canon[order.get(i)];
    }
    boolean[] kept = LongestIncreasing.kept(ranks);
    for (int p = 0; p < n; p++) {
      if (!kept[p]) {
        FoundAnomaly a = explain(node, order, ranks, kept, p);
        if (a != null) {
          out.add(a);
        }
      }
    }
  }

  private FoundAnomaly explain(int node, IntList order, int[] ranks, boolean[] kept, int p) {
    MessageState m = messages.get(order.get(p));
    int causal = -1;
    int divergent = -1;
    int divergentNode = -1;
    int scanned = 0;
    for (int q = 0; q < ranks.length && scanned < PARTNER_SCAN_LIMIT; q++) {
      if (!kept[q] || (q < p) == (ranks[q] < ranks[p])) {
        continue; // not kept, or not inverted with m
      }
      scanned++;
      MessageState x = messages.get(order.get(q));
      if (m.origin >= 0 && m.origin == x.origin) {
        if (m.seqno != x.seqno
            && m.seqno != io.meshlog.eventlog.Event.ABSENT
            && x.seqno != io.meshlog.eventlog.Event.ABSENT
            && (q < p) == (x.seqno > m.seqno)) {
          return fifo(node, m, x);
        }
        continue;
      }
      if (causal < 0) {
        MessageState early = ranks[q] < ranks[p] ? x : m;
        MessageState late = early == x ? m : x;
        if (causallyBefore(early, late)) {
          causal = q;
          continue;
        }
        if (divergent < 0) {
          int other = agreeingNode(node, early, late);
          if (other >= 0) {
            divergent = q;
            divergentNode = other;
          }
        }
      }
    }
    if (causal >= 0) {
      return causalInversion(node, m, messages.get(order.get(causal)), ranks[causal] < ranks[p]);
    }
    if (divergent >= 0) {
      return divergence(node, m, messages.get(order.get(divergent)), divergentNode);
    }
    return null;
  }

  /** The origin of {@code late} delivered or published {@code early} before publishing it. */
  private boolean causallyBefore(MessageState early, MessageState late) {
    int o = originNode(late);
    return o >= 0
        && late.via[o] == MessageState.PUBLISH
        && early.delivered(o)
        && early.index[o] < late.index[o];
  }

  /** The lowest other node that delivered both in canonical order (early first), or -1. */
  private int agreeingNode(int node, MessageState early, MessageState late) {
    for (int o = 0; o < early.index.length; o++) {
      if (o != node && early.delivered(o) && late.delivered(o) && early.index[o] < late.index[o]) {
        return o;
      }
    }
    return -1;
  }

  private int originNode(MessageState m) {
    return m.origin >= 0 && m.origin < nodeOfPeer.length ? nodeOfPeer[m.origin] : -1;
  }

  private FoundAnomaly fifo(int node, MessageState m, MessageState x) {
    List<Witness> w = new ArrayList<>();
    witnesses.delivery(w, x, node);
    witnesses.delivery(w, m, node);
    return found(AnomalyType.FIFO_INVERSION, node, -1, m, x, w);
  }

  private FoundAnomaly causalInversion(int node, MessageState m, MessageState x, boolean xEarly) {
    MessageState early = xEarly ? x : m;
    MessageState late = xEarly ? m : x;
    int o = originNode(late);
    List<Witness> w = new ArrayList<>();
    witnesses.delivery(w, m, node);
    witnesses.delivery(w, x, node);
    witnesses.delivery(w, early, o);
    witnesses.delivery(w, late, o);
    return found(AnomalyType.CAUSAL_INVERSION, node, -1, m, x, w);
  }

  private FoundAnomaly divergence(int node, MessageState m, MessageState x, int other) {
    List<Witness> w = new ArrayList<>();
    witnesses.delivery(w, m, node);
    witnesses.delivery(w, x, node);
    witnesses.delivery(w, m, other);
    witnesses.delivery(w, x, other);
    return found(AnomalyType.ORDER_DIVERGENCE, node, other, m, x, w);
  }

  private FoundAnomaly found(
      AnomalyType type, int node, int other, MessageState m, MessageState x, List<Witness> w) {
    List<String> nodes =
        other < 0 ? List.of() : List.of(witnesses.name(node), witnesses.name(other));
    Anomaly a =
        new Anomaly(
            type,
            hexIds.apply(m.number),
            topicNames.get(m.topic),
            witnesses.name(node),
            nodes,
            hexIds.apply(x.number),
            null,
            null,
            witnesses.sorted(w));
    return new FoundAnomaly(a, m.number, node, other, x.number);
  }
}
