package io.meshlog.reconciliation.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random delivery schedules on small inputs, written through the real journal, checked against a
 * brute-force reference of every anomaly: the longest in-order subset by enumerating all subsets,
 * happened-before from the simulation's own record of what each origin had seen.
 */
@Timeout(300)
class ReplayPropertyTest {
  private static final String T = "chat";
  private static final long LATE_AFTER_MS = 6;

  @TempDir Path tmp;

  /** One delivery (or publication) in the simulation. */
  private record Act(int node, int message, int event) {}

  /** The simulated run: journals, and per (node, message) the event numbers of its deliveries. */
  private static final class Sim {
    NodeJournal[] nodes;
    int messages;
    int[] origin;
    long[] seqno;
    long[] lamport;
    long[][] firstMs; // per node, message: time of first delivery, -1 if none
    int[][] firstEvent;
    List<List<Integer>> order = new ArrayList<>(); // per node: messages in first-delivery order
    Map<Long, List<Integer>> deliveries = new HashMap<>(); // (node, message) -> event numbers
    int[] joinEvent;

    /** seen[o][m] = position of m in o's order, or -1. */
    int[][] seen;
  }

  private Sim simulate(Random rnd, Path dir) {
    Sim s = new Sim();
    int k = 2 + rnd.nextInt(3);
    s.messages = 2 + rnd.nextInt(6);
    s.nodes = new NodeJournal[k];
    s.joinEvent = new int[k];
    long[] clock = new long[k];
    for (int n = 0; n < k; n++) {
      s.nodes[n] = new NodeJournal(dir.resolve("n" + n), n + 1);
    }
    for (int n = 0; n < k; n++) {
      s.nodes[n].started(0);
      s.joinEvent[n] = s.nodes[n].join(1, T);
      for (int o = 0; o < k; o++) {
        if (o != n) {
          s.nodes[n].graft(2, T, s.nodes[o]);
        }
      }
      s.order.add(new ArrayList<>());
    }
    s.origin = new int[s.messages];
    s.seqno = new long[s.messages];
    s.lamport = new long[s.messages];
    s.firstMs = new long[k][s.messages];
    s.firstEvent = new int[k][s.messages];
    s.seen = new int[k][s.messages];
    for (long[] row : s.firstMs) {
      Arrays.fill(row, -1);
    }
    for (int[] row : s.seen) {
      Arrays.fill(row, -1);
    }
    long[] nextSeq = new long[k];
    // Pending deliveries, drawn in random order; a message is published before it is delivered.
    List<int[]> pending = new ArrayList<>();
    int published = 0;
    long ms = 10;
    while (published < s.messages || !pending.isEmpty()) {
      boolean publish = published < s.messages && (pending.isEmpty() || rnd.nextInt(3) == 0);
      if (publish) {
        int m = published++;
        int o = rnd.nextInt(k);
        s.origin[m] = o;
        s.seqno[m] = ++nextSeq[o];
        s.lamport[m] = ++clock[o];
        int e = s.nodes[o].publish(ms, T, m, s.seqno[m], s.lamport[m]);
        record(s, o, m, e, ms);
        for (int n = 0; n < k; n++) {
          if (n != o && rnd.nextInt(8) != 0) { // one in eight is lost
            pending.add(new int[] {n, m});
            if (rnd.nextInt(12) == 0) {
              pending.add(new int[] {n, m}); // delivered twice
            }
          }
        }
      } else {
        int[] d = pending.remove(rnd.nextInt(pending.size()));
        int n = d[0];
        int m = d[1];
        clock[n] = Math.max(clock[n], s.lamport[m]) + 1;
        NodeJournal o = s.nodes[s.origin[m]];
        int e = s.nodes[n].deliver(ms, T, m, o, s.seqno[m], s.lamport[m]);
        record(s, n, m, e, ms);
      }
      ms += 1 + rnd.nextInt(4);
    }
    for (NodeJournal n : s.nodes) {
      n.stopped(ms + 100);
      n.write();
    }
    return s;
  }

  private static void record(Sim s, int n, int m, int event, long ms) {
    s.deliveries.computeIfAbsent(key(n, m), x -> new ArrayList<>()).add(event);
    if (s.firstMs[n][m] < 0) {
      s.firstMs[n][m] = ms;
      s.firstEvent[n][m] = event;
      s.seen[n][m] = s.order.get(n).size();
      s.order.get(n).add(m);
    }
  }

  private static long key(int n, int m) {
    return ((long) n << 32) | m;
  }

  // ------------------------------------------------------------------ the reference

  private List<Anomaly> reference(Sim s) {
    int k = s.nodes.length;
    List<Anomaly> out = new ArrayList<>();
    Integer[] byCanon = new Integer[s.messages];
    for (int m = 0; m < s.messages; m++) {
      byCanon[m] = m;
    }
    Comparator<Integer> canonical =
        Comparator.<Integer>comparingLong(m -> s.lamport[m])
            .thenComparing(
                (a, b) ->
                    Arrays.compareUnsigned(s.nodes[s.origin[a]].peer, s.nodes[s.origin[b]].peer))
            .thenComparingLong(m -> s.seqno[m])
            .thenComparing(
                (a, b) ->
                    Arrays.compareUnsigned(NodeJournal.messageId(a), NodeJournal.messageId(b)));
    Arrays.sort(byCanon, canonical);
    int[] rank = new int[s.messages];
    for (int i = 0; i < byCanon.length; i++) {
      rank[byCanon[i]] = i;
    }
    for (int m = 0; m < s.messages; m++) {
      long first = Long.MAX_VALUE;
      int firstNode = -1;
      for (int n = 0; n < k; n++) {
        if (s.firstMs[n][m] >= 0 && s.firstMs[n][m] < first) {
          first = s.firstMs[n][m];
          firstNode = n;
        }
      }
      for (int n = 0; n < k; n++) {
        NodeJournal nj = s.nodes[n];
        List<Integer> ds = s.deliveries.getOrDefault(key(n, m), List.of());
        if (ds.isEmpty()) {
          out.add(
              anomaly(
                  AnomalyType.LOST,
                  m,
                  nj,
                  List.of(),
                  -1,
                  LostCause.UNKNOWN,
                  null,
                  nj.witness(s.joinEvent[n]),
                  s.nodes[firstNode].witness(s.firstEvent[firstNode][m])));
          continue;
        }
        if (s.firstMs[n][m] - first > LATE_AFTER_MS) {
          out.add(
              anomaly(
                  AnomalyType.LATE,
                  m,
                  nj,
                  List.of(),
                  -1,
                  null,
                  (s.firstMs[n][m] - first) * NodeJournal.MS,
                  s.nodes[firstNode].witness(s.firstEvent[firstNode][m]),
                  nj.witness(s.firstEvent[n][m])));
        }
        if (ds.size() > 1) {
          out.add(
              anomaly(
                  AnomalyType.DUPLICATE_DELIVERY,
                  m,
                  nj,
                  List.of(),
                  -1,
                  null,
                  null,
                  ds.stream().map(nj::witness).toArray(Witness[]::new)));
        }
      }
    }
    for (int n = 0; n < k; n++) {
      out.addAll(ordering(s, n, rank));
    }
    return out;
  }

  /** Ordering anomalies at node n, with the longest in-order subset found by enumeration. */
  private List<Anomaly> ordering(Sim s, int n, int[] rank) {
    List<Integer> d = s.order.get(n);
    int size = d.size();
    int best = 0;
    int bestSize = -1;
    for (int mask = 0; mask < (1 << size); mask++) {
      int bits = Integer.bitCount(mask);
      if (bits < bestSize || !increasing(d, mask, rank)) {
        continue;
      }
      if (bits > bestSize || earlierPositions(mask, best)) {
        best = mask;
        bestSize = bits;
      }
    }
    List<Anomaly> out = new ArrayList<>();
    NodeJournal nj = s.nodes[n];
    for (int p = 0; p < size; p++) {
      if ((best & (1 << p)) != 0) {
        continue;
      }
      int m = d.get(p);
      Anomaly fifo = null;
      Anomaly causal = null;
      Anomaly divergent = null;
      for (int q = 0; q < size; q++) {
        int x = d.get(q);
        if ((best & (1 << q)) == 0 || (q < p) == (rank[x] < rank[m])) {
          continue;
        }
        if (s.origin[x] == s.origin[m]) {
          if (fifo == null && (q < p) == (s.seqno[x] > s.seqno[m])) {
            fifo =
                anomaly(
                    AnomalyType.FIFO_INVERSION,
                    m,
                    nj,
                    List.of(),
                    x,
                    null,
                    null,
                    nj.witness(s.firstEvent[n][x]),
                    nj.witness(s.firstEvent[n][m]));
          }
          continue;
        }
        int early = rank[x] < rank[m] ? x : m;
        int late = early == x ? m : x;
        int o = s.origin[late];
        if (s.seen[o][early] >= 0 && s.seen[o][early] < s.seen[o][late]) {
          if (causal == null) {
            NodeJournal oj = s.nodes[o];
            causal =
                anomaly(
                    AnomalyType.CAUSAL_INVERSION,
                    m,
                    nj,
                    List.of(),
                    x,
                    null,
                    null,
                    nj.witness(s.firstEvent[n][m]),
                    nj.witness(s.firstEvent[n][x]),
                    oj.witness(s.firstEvent[o][early]),
                    oj.witness(s.firstEvent[o][late]));
          }
          continue;
        }
        if (divergent == null) {
          NodeJournal other = null;
          for (int a = 0; a < s.nodes.length; a++) {
            if (a != n
                && s.seen[a][early] >= 0
                && s.seen[a][late] > s.seen[a][early]
                && (other == null || s.nodes[a].name().compareTo(other.name()) < 0)) {
              other = s.nodes[a];
            }
          }
          if (other != null) {
            int oa = Arrays.asList(s.nodes).indexOf(other);
            divergent =
                anomaly(
                    AnomalyType.ORDER_DIVERGENCE,
                    m,
                    nj,
                    List.of(nj.name(), other.name()),
                    x,
                    null,
                    null,
                    nj.witness(s.firstEvent[n][m]),
                    nj.witness(s.firstEvent[n][x]),
                    other.witness(s.firstEvent[oa][m]),
                    other.witness(s.firstEvent[oa][x]));
          }
        }
      }
      Anomaly a = fifo != null ? fifo : causal != null ? causal : divergent;
      if (a != null) {
        out.add(a);
      }
    }
    return out;
  }

  private static boolean increasing(List<Integer> d, int mask, int[] rank) {
    int last = -1;
    for (int p = 0; p < d.size(); p++) {
      if ((mask & (1 << p)) != 0) {
        if (rank[d.get(p)] < last) {
          return false;
        }
        last = rank[d.get(p)];
      }
    }
    return true;
  }

  /** Whether the positions of {@code a} come lexicographically before those of {@code b}. */
  private static boolean earlierPositions(int a, int b) {
    int diff = a ^ b;
    return diff != 0 && (a & Integer.lowestOneBit(diff)) != 0;
  }

  private static Anomaly anomaly(
      AnomalyType type,
      int m,
      NodeJournal node,
      List<String> nodes,
      int other,
      LostCause cause,
      Long lateBy,
      Witness... witnesses) {
    return new Anomaly(
        type,
        Hex.of(NodeJournal.messageId(m)),
        T,
        node.name(),
        nodes,
        other < 0 ? null : Hex.of(NodeJournal.messageId(other)),
        cause,
        lateBy,
        Arrays.stream(witnesses)
            .distinct()
            .sorted(Comparator.comparing(Witness::node).thenComparingLong(Witness::index))
            .toList());
  }

  private static final Comparator<Anomaly> ANY_ORDER =
      Comparator.comparing((Anomaly a) -> a.type())
          .thenComparing(Anomaly::node)
          .thenComparing(Anomaly::messageId);

  @Test
  void shouldAgreeWithABruteForceReferenceOnRandomSchedules() {
    Random rnd = new Random(20261121L);
    int withOrderingAnomalies = 0;
    for (int run = 0; run < 60; run++) {
      Path dir = tmp.resolve("run" + run);
      Sim s = simulate(rnd, dir);
      ReplayReport r =
          ReplayAnalysis.analyze(
              Arrays.stream(s.nodes).map(n -> n.dataDir).toList(),
              ReplayOptions.defaults()
                  .withSkewCorrection(false)
                  .withLateAfterNanos(LATE_AFTER_MS * NodeJournal.MS));
      List<Anomaly> expected = new ArrayList<>(reference(s));
      List<Anomaly> actual = new ArrayList<>(r.anomalies());
      expected.sort(ANY_ORDER);
      actual.sort(ANY_ORDER);
      assertThat(actual).as("run %d", run).containsExactlyElementsOf(expected);
      if (actual.stream().anyMatch(a -> a.otherMessageId() != null)) {
        withOrderingAnomalies++;
      }
    }
    assertThat(withOrderingAnomalies).as("runs that exercised ordering").isGreaterThan(10);
  }
}
