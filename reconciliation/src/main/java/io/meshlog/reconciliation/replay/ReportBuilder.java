package io.meshlog.reconciliation.replay;

import io.meshlog.eventlog.Base58;
import io.meshlog.eventlog.Event;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * Turns the collected state into a {@link ReplayReport}: judges every message, finds the ordering
 * anomalies, applies the selection of {@link ReplayOptions}, and sums up. Output order is fixed
 * (topic name, canonical position, node), so the report is the same on every run.
 *
 * <p>Not thread-safe; used once.
 */
final class ReportBuilder {
  /** The times after first delivery at which reach is reported. */
  static final long[] REACH_GRID_NANOS = {
    0L,
    1_000_000L,
    2_000_000L,
    5_000_000L,
    10_000_000L,
    20_000_000L,
    50_000_000L,
    100_000_000L,
    200_000_000L,
    500_000_000L,
    1_000_000_000L,
    2_000_000_000L,
    5_000_000_000L,
    10_000_000_000L,
    30_000_000_000L,
    60_000_000_000L
  };

  private final ReplayCollector c;
  private final List<JournalSource> sources;
  private final String[] names;
  private final int[] nodeOfPeer;
  private final ClockSkew.Estimate clocks;
  private final ReplayOptions options;
  private final int nodes;
  private final int[] canon;
  private final Witnesses witnesses;

  /** Base58 of each peer number, encoded once: encoding is quadratic in the id's length. */
  private final String[] peerNames;

  ReportBuilder(
      ReplayCollector collector,
      List<JournalSource> sources,
      String[] names,
      int[] nodeOfPeer,
      ClockSkew.Estimate clocks,
      ReplayOptions options) {
    this.c = collector;
    this.sources = sources;
    this.names = names;
    this.nodeOfPeer = nodeOfPeer;
    this.clocks = clocks;
    this.options = options;
    this.nodes = names.length;
    this.canon =
        CanonicalOrder.positions(
            collector.messages, collector.topicNames.size(), collector.peers, collector.messageIds);
    this.witnesses = new Witnesses(names);
    this.peerNames = new String[collector.peers.size()];
  }

  /** A message's id in hex, made when asked: a report holds ids of the rows it is building only. */
  private String hexId(int message) {
    return Hex.of(c.messageIds.key(message));
  }

  private String peerName(int peer) {
    if (peer < 0) {
      return null;
    }
    String name = peerNames[peer];
    if (name == null) {
      name = Base58.encode(c.peers.key(peer));
      peerNames[peer] = name;
    }
    return name;
  }

  ReplayReport build(List<ReplayReport.Skipped> skipped) {
    int[][] position = positions();
    List<FoundAnomaly> ordering = new ArrayList<>();
    OrderAnalysis order =
        new OrderAnalysis(c.messages, canon, nodeOfPeer, witnesses, this::hexId, c.topicNames);
    for (int n = 0; n < nodes; n++) {
      for (IntList list : c.orders.get(n)) {
        order.analyse(n, list, ordering);
      }
    }
    DeliveryJudge judge =
        new DeliveryJudge(
            c.timelines,
            clocks,
            nodeOfPeer,
            options.lateAfterNanos(),
            witnesses,
            this::hexId,
            c.topicNames);

    boolean[] shown = new boolean[nodes];
    for (int n = 0; n < nodes; n++) {
      shown[n] = options.peer() == null || options.peer().equals(names[n]);
    }
    boolean[] selected = new boolean[c.messages.size()];
    List<FoundAnomaly> found = new ArrayList<>();
    Rows rows = new Rows(position, shown);
    List<ReplayReport.TopicSummary> topics = new ArrayList<>();
    int[] expected = new int[nodes];
    int[] delivered = new int[nodes];
    int[] lost = new int[nodes];
    long deliveries = 0;
    long duplicates = 0;
    long negative = 0;
    List<List<MessageState>> byTopic = inCanonicalOrder();
    for (int topic : topicsByName()) {
      TopicTally stats = new TopicTally(c.topicNames.get(topic));
      for (MessageState m : byTopic.get(topic)) {
        DeliveryJudge.Verdict v = judge.judge(m);
        if (!selected(m, v)) {
          continue;
        }
        selected[m.number] = true;
        stats.messages++;
        rows.add(m, v);
        for (int n = 0; n < nodes; n++) {
          if (!shown[n]) {
            continue;
          }
          boolean got = m.delivered(n);
          boolean neg = got && v.delay[n] != Event.ABSENT && v.delay[n] < 0;
          duplicates += m.duplicates[n];
          if (v.expected[n]) {
            expected[n]++;
            stats.expected++;
          }
          if (got) {
            delivered[n]++;
            deliveries++;
            negative += neg ? 1 : 0;
            stats.reached(v.sinceFirst[n]);
            if (m.via[n] != MessageState.PUBLISH && v.delay[n] != Event.ABSENT) {
              stats.delays.add(v.delay[n]);
            }
          }
        }
        for (FoundAnomaly a : v.anomalies) {
          if (shown[a.node()]) {
            found.add(a);
            if (a.anomaly().type() == AnomalyType.LOST) {
              lost[a.node()]++;
            }
          }
        }
      }
      if (stats.messages > 0) {
        topics.add(stats.summary());
      }
    }
    for (FoundAnomaly a : ordering) {
      if (selected[a.message()]
          && (shown[a.node()] || (a.otherNode() >= 0 && shown[a.otherNode()]))) {
        found.add(a);
      }
    }
    found.sort(anomalyOrder());
    Map<AnomalyType, Long> counts = new EnumMap<>(AnomalyType.class);
    for (AnomalyType t : AnomalyType.values()) {
      counts.put(t, 0L);
    }
    List<Anomaly> anomalies = new ArrayList<>(found.size());
    for (FoundAnomaly a : found) {
      counts.merge(a.anomaly().type(), 1L, Long::sum);
      anomalies.add(a.anomaly());
    }
    ReplayReport.Summary summary =
        new ReplayReport.Summary(
            nodes,
            rows.size(),
            deliveries,
            duplicates,
            counts,
            negative,
            options.skewCorrection(),
            topics);
    return new ReplayReport(
        nodeSummaries(expected, delivered, lost), rows, anomalies, summary, List.copyOf(skipped));
  }

  private boolean selected(MessageState m, DeliveryJudge.Verdict v) {
    if (v.firstNanos < options.fromNanos() || v.firstNanos > options.toNanos()) {
      return false;
    }
    return options.origin() == null
        || (m.origin >= 0 && options.origin().equals(peerName(m.origin)));
  }

  /**
   * The message table as a list whose rows are made when read: per selected message it keeps the
   * message number, its first-delivery and publish times and the nodes expected without a delivery
   * (a few bytes), and builds the {@link ReplayReport.MessageRow} and its deliveries from the
   * collected state on each {@link #get}. Holding every row at once would cost a dozen objects per
   * (message, node): far more than the analysis itself. Immutable once built, so several threads
   * may read rows at once (the JSON writer does): {@link #get} only reads the collected state; the
   * peer-name cache it fills holds immutable strings, the same whichever thread fills a slot.
   */
  private final class Rows extends AbstractList<ReplayReport.MessageRow> implements RandomAccess {
    private final int[][] position;
    private final boolean[] shown;
    private final IntList message = new IntList();
    private final LongList firstNanos = new LongList();
    private final LongList publishNanos = new LongList();
    private byte[] publishSource = new byte[64];

    /** Bit row * nodes + n: node n was expected to deliver the row's message and did not. */
    private final BitSet expectedMissing = new BitSet();

    Rows(int[][] position, boolean[] shown) {
      this.position = position;
      this.shown = shown;
    }

    void add(MessageState m, DeliveryJudge.Verdict v) {
      int row = message.size();
      message.add(m.number);
      firstNanos.add(v.firstNanos);
      publishNanos.add(v.publishNanos);
      if (row == publishSource.length) {
        publishSource = java.util.Arrays.copyOf(publishSource, row * 2);
      }
      publishSource[row] = sourceCode(v.publishSource);
      for (int n = 0; n < nodes; n++) {
        if (v.expected[n] && !m.delivered(n)) {
          expectedMissing.set(row * nodes + n);
        }
      }
    }

    @Override
    public int size() {
      return message.size();
    }

    @Override
    public ReplayReport.MessageRow get(int row) {
      java.util.Objects.checkIndex(row, size());
      MessageState m = c.messages.get(message.get(row));
      long publish = publishNanos.get(row);
      ReplayReport.Delivery[] ds = new ReplayReport.Delivery[nodes];
      int k = 0;
      for (int n = 0; n < nodes; n++) {
        if (shown[n]) {
          ds[k++] = delivery(m, n, publish, expectedMissing.get(row * nodes + n));
        }
      }
      return new ReplayReport.MessageRow(
          hexId(m.number),
          c.topicNames.get(m.topic),
          peerName(m.origin),
          boxed(m.seqno),
          boxed(m.lamport),
          boxed(m.finalSeq),
          canon[m.number],
          boxed(publish),
          sourceLabel(publishSource[row]),
          firstNanos.get(row),
          List.of(java.util.Arrays.copyOf(ds, k)));
    }

    /** As {@link DeliveryJudge#judge} has it: delay from the publish time, on corrected time. */
    private ReplayReport.Delivery delivery(MessageState m, int n, long publish, boolean missing) {
      boolean got = m.delivered(n);
      long delay =
          got && publish != Event.ABSENT ? clocks.correct(n, m.time[n]) - publish : Event.ABSENT;
      boolean neg = delay != Event.ABSENT && delay < 0;
      return new ReplayReport.Delivery(
          names[n],
          got || missing,
          got,
          MessageState.viaLabel(m.via[n]),
          MessageState.routeLabel(m.via[n], m.route[n]),
          got ? position[n][m.number] : null,
          got ? m.index[n] : null,
          got ? m.time[n] : null,
          delay != Event.ABSENT ? delay : null,
          neg,
          got ? peerName(m.forwarder[n]) : null,
          m.duplicates[n],
          m.count[n]);
    }
  }

  private static byte sourceCode(String source) {
    if (source == null) {
      return 0;
    }
    return switch (source) {
      case "journal" -> 1;
      case "envelope" -> 2;
      default -> throw new IllegalArgumentException("publish source " + source);
    };
  }

  private static String sourceLabel(byte code) {
    return switch (code) {
      case 1 -> "journal";
      case 2 -> "envelope";
      default -> null;
    };
  }

  private List<ReplayReport.NodeSummary> nodeSummaries(
      int[] expected, int[] delivered, int[] lost) {
    List<ReplayReport.NodeSummary> out = new ArrayList<>();
    for (int n = 0; n < nodes; n++) {
      boolean any = c.events[n] > 0;
      long u = clocks.uncertainty()[n];
      out.add(
          new ReplayReport.NodeSummary(
              names[n],
              sources.get(n).dataDir.toString(),
              c.events[n],
              any ? c.firstTime[n] : null,
              any ? c.lastTime[n] : null,
              c.timelines[n].runs().stream()
                  .filter(r -> r.start.type() == io.meshlog.eventlog.EventType.NODE_STARTED)
                  .mapToInt(r -> 1)
                  .sum(),
              clocks.offset()[n],
              u < 0 ? null : u,
              clocks.reference() == n,
              expected[n],
              delivered[n],
              lost[n],
              expected[n] == 0 ? 1.0 : (double) delivered[n] / expected[n],
              c.timelines[n].notJournaled()));
    }
    return out;
  }

  private int[][] positions() {
    int[][] position = new int[nodes][c.messages.size()];
    for (int n = 0; n < nodes; n++) {
      for (IntList list : c.orders.get(n)) {
        for (int i = 0; i < list.size(); i++) {
          position[n][list.get(i)] = i;
        }
      }
    }
    return position;
  }

  private List<Integer> topicsByName() {
    List<Integer> t = new ArrayList<>();
    for (int i = 0; i < c.topicNames.size(); i++) {
      t.add(i);
    }
    t.sort(Comparator.comparing(c.topicNames::get));
    return t;
  }

  /** Per topic number, its delivered messages in canonical order. */
  private List<List<MessageState>> inCanonicalOrder() {
    List<List<MessageState>> byTopic = new ArrayList<>();
    for (int t = 0; t < c.topicNames.size(); t++) {
      byTopic.add(new ArrayList<>());
    }
    for (MessageState m : c.messages) {
      if (canon[m.number] >= 0) {
        byTopic.get(m.topic).add(m);
      }
    }
    for (List<MessageState> list : byTopic) {
      list.sort(Comparator.comparingInt(m -> canon[m.number]));
    }
    return byTopic;
  }

  private Comparator<FoundAnomaly> anomalyOrder() {
    return Comparator.<FoundAnomaly, String>comparing(a -> a.anomaly().topic())
        .thenComparingInt(a -> canon[a.message()])
        .thenComparingInt(FoundAnomaly::node)
        .thenComparing(a -> a.anomaly().type())
        .thenComparingInt(a -> a.other() < 0 ? -1 : canon[a.other()]);
  }

  private static Long boxed(long v) {
    return v == Event.ABSENT ? null : v;
  }

  /** Delays and reach of one topic. */
  private static final class TopicTally {
    final String topic;
    int messages;
    long expected;
    final LongList delays = new LongList();
    final LongList sinceFirst = new LongList();

    TopicTally(String topic) {
      this.topic = topic;
    }

    void reached(long nanos) {
      sinceFirst.add(nanos);
    }

    ReplayReport.TopicSummary summary() {
      long[] d = delays.sorted();
      long[] s = sinceFirst.sorted();
      List<ReplayReport.ReachPoint> reach = new ArrayList<>();
      if (expected > 0) {
        int i = 0;
        for (long t : REACH_GRID_NANOS) {
          while (i < s.length && s[i] <= t) {
            i++;
          }
          reach.add(new ReplayReport.ReachPoint(t, (double) i / expected));
        }
      }
      return new ReplayReport.TopicSummary(
          topic,
          messages,
          d.length,
          percentile(d, 50),
          percentile(d, 90),
          percentile(d, 99),
          d.length == 0 ? null : d[d.length - 1],
          reach);
    }

    /** Nearest rank: the smallest value with at least p% of the values at or below it. */
    static Long percentile(long[] sorted, int p) {
      if (sorted.length == 0) {
        return null;
      }
      int rank = (int) Math.ceil(p / 100.0 * sorted.length);
      return sorted[Math.max(0, rank - 1)];
    }
  }
}
