package io.meshlog.reconciliation.replay;

import io.meshlog.eventlog.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Judges one message across all nodes, on skew-corrected time: when and where it was first
 * delivered, its delay at every node, and the per-message anomalies {@code lost}, {@code late} and
 * {@code duplicate-delivery}.
 *
 * <p>{@code lost}: node N should have delivered M when, at the moment M was first delivered
 * anywhere (taken to N's clock), N's journal covers that moment and N held a subscription to M's
 * topic joined before it. Cause {@code down} when that moment falls in a crash gap of N's journal
 * (or less than the late threshold before a crash); {@code not-in-mesh} when N was running without
 * mesh peers in the topic; else {@code unknown}.
 *
 * <p>Not thread-safe; owned by the replay thread.
 */
final class DeliveryJudge {

  /**
   * The verdict on one message; arrays are per node. One instance is reused for every message: read
   * it before judging the next.
   */
  static final class Verdict {
    int firstNode;
    long firstNanos;
    long publishNanos = Event.ABSENT;
    String publishSource;
    final boolean[] expected;
    final long[] delay;
    final long[] sinceFirst;
    final List<FoundAnomaly> anomalies = new ArrayList<>();

    Verdict(int nodes) {
      expected = new boolean[nodes];
      delay = new long[nodes];
      sinceFirst = new long[nodes];
    }
  }

  private final NodeTimeline[] timelines;
  private final ClockSkew.Estimate clocks;
  private final int[] nodeOfPeer;
  private final long lateAfterNanos;
  private final Witnesses witnesses;
  private final IntFunction<String> hexIds;
  private final List<String> topicNames;
  private final Verdict v;

  DeliveryJudge(
      NodeTimeline[] timelines,
      ClockSkew.Estimate clocks,
      int[] nodeOfPeer,
      long lateAfterNanos,
      Witnesses witnesses,
      IntFunction<String> hexIds,
      List<String> topicNames) {
    this.timelines = timelines;
    this.v = new Verdict(timelines.length);
    this.clocks = clocks;
    this.nodeOfPeer = nodeOfPeer;
    this.lateAfterNanos = lateAfterNanos;
    this.witnesses = witnesses;
    this.hexIds = hexIds;
    this.topicNames = topicNames;
  }

  /** Judges {@code m}; the verdict returned is overwritten by the next call. */
  Verdict judge(MessageState m) {
    int nodes = timelines.length;
    v.firstNode = -1;
    v.firstNanos = 0;
    v.publishNanos = Event.ABSENT;
    v.publishSource = null;
    v.anomalies.clear();
    for (int n = 0; n < nodes; n++) {
      if (m.delivered(n)) {
        long t = clocks.correct(n, m.time[n]);
        if (v.firstNode < 0 || t < v.firstNanos) {
          v.firstNode = n;
          v.firstNanos = t;
        }
      }
    }
    int o = m.origin >= 0 && m.origin < nodeOfPeer.length ? nodeOfPeer[m.origin] : -1;
    if (o >= 0 && m.via[o] == MessageState.PUBLISH) {
      v.publishNanos = clocks.correct(o, m.time[o]);
      v.publishSource = "journal";
    } else if (m.envelopePublishNanos != Event.ABSENT) {
      v.publishNanos = m.envelopePublishNanos;
      v.publishSource = "envelope";
    }
    for (int n = 0; n < nodes; n++) {
      if (m.delivered(n)) {
        v.expected[n] = true;
        long t = clocks.correct(n, m.time[n]);
        v.delay[n] = v.publishNanos == Event.ABSENT ? Event.ABSENT : t - v.publishNanos;
        v.sinceFirst[n] = t - v.firstNanos;
        if (v.sinceFirst[n] > lateAfterNanos) {
          v.anomalies.add(late(m, n, v));
        }
        if (m.count[n] > 1) {
          v.anomalies.add(duplicate(m, n));
        }
      } else {
        v.expected[n] = false;
        v.delay[n] = Event.ABSENT;
        v.sinceFirst[n] = Event.ABSENT;
        long local = v.firstNanos + clocks.offset()[n];
        NodeTimeline tl = timelines[n];
        NodeTimeline.Subscription sub =
            tl.covers(local) && tl.unjournaledAround(local, lateAfterNanos) == null
                ? tl.subscriptionAt(m.topic, local)
                : null;
        if (sub != null) {
          v.expected[n] = true;
          v.anomalies.add(lost(m, n, v, sub, local));
        }
      }
    }
    return v;
  }

  private FoundAnomaly late(MessageState m, int n, Verdict v) {
    List<Witness> w = new ArrayList<>();
    witnesses.delivery(w, m, v.firstNode);
    witnesses.delivery(w, m, n);
    return found(AnomalyType.LATE, m, n, null, v.sinceFirst[n], w);
  }

  private FoundAnomaly duplicate(MessageState m, int n) {
    List<Witness> w = new ArrayList<>();
    witnesses.delivery(w, m, n);
    LongList r = m.repeats;
    for (int i = 0; r != null && i < r.size(); i += 4) {
      if (r.get(i) == n) {
        w.add(
            new Witness(
                witnesses.name(n),
                r.get(i + 1),
                MessageState.eventType((byte) r.get(i + 3)),
                r.get(i + 2)));
      }
    }
    return found(AnomalyType.DUPLICATE_DELIVERY, m, n, null, null, w);
  }

  private FoundAnomaly lost(
      MessageState m, int n, Verdict v, NodeTimeline.Subscription sub, long local) {
    List<Witness> w = new ArrayList<>();
    witnesses.mark(w, n, sub.join());
    witnesses.delivery(w, m, v.firstNode);
    NodeTimeline tl = timelines[n];
    LostCause cause;
    int crashed = tl.crashAround(local, lateAfterNanos);
    NodeTimeline.Mark emptied;
    if (crashed >= 0) {
      cause = LostCause.DOWN;
      witnesses.mark(w, n, tl.runs().get(crashed).last());
      witnesses.mark(w, n, tl.runs().get(crashed + 1).start);
    } else if ((emptied = tl.meshEmptyAt(m.topic, local)) != null) {
      cause = LostCause.NOT_IN_MESH;
      witnesses.mark(w, n, emptied);
    } else {
      cause = LostCause.UNKNOWN;
    }
    return found(AnomalyType.LOST, m, n, cause, null, w);
  }

  private FoundAnomaly found(
      AnomalyType type, MessageState m, int n, LostCause cause, Long lateBy, List<Witness> w) {
    Anomaly a =
        new Anomaly(
            type,
            hexIds.apply(m.number),
            topicNames.get(m.topic),
            witnesses.name(n),
            List.of(),
            null,
            cause,
            lateBy,
            witnesses.sorted(w));
    return new FoundAnomaly(a, m.number, n, -1, -1);
  }
}
