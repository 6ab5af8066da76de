package io.meshlog.tools.report;

import io.meshlog.reconciliation.replay.Anomaly;
import io.meshlog.reconciliation.replay.AnomalyType;
import io.meshlog.reconciliation.replay.ReplayOptions;
import io.meshlog.reconciliation.replay.ReplayReport;
import io.meshlog.reconciliation.replay.Witness;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code meshlog replay --format text}: for people. Nodes get short labels (n1, n2...) in the order
 * of their peer ids; per topic the canonical order is shown next to each node's delivery position
 * (or {@code -} not expected, {@code LOST}); then anomalies and the summary.
 */
public final class ReplayTextWriter {
  private final PrintWriter out;
  private final Map<String, String> label = new HashMap<>();

  private ReplayTextWriter(PrintWriter out, List<ReplayReport.NodeSummary> nodes) {
    this.out = out;
    for (int i = 0; i < nodes.size(); i++) {
      label.put(nodes.get(i).node(), "n" + (i + 1));
    }
  }

  public static void write(
      ReplayReport r, ReplayOptions options, long maxAnomalies, PrintWriter out) {
    ReplayTextWriter w = new ReplayTextWriter(out, r.nodes());
    w.nodes(r, options);
    w.orders(r);
    w.anomalies(r, maxAnomalies);
    w.summary(r);
  }

  private String label(String node) {
    return node == null ? "-" : label.getOrDefault(node, node);
  }

  private void nodes(ReplayReport r, ReplayOptions options) {
    out.printf(
        Locale.ROOT,
        "replay of %d journal(s); skew correction %s; late after %s%n",
        r.nodes().size(),
        r.summary().skewCorrection() ? "on" : "off",
        duration(options.lateAfterNanos()));
    out.println("nodes:");
    for (ReplayReport.NodeSummary n : r.nodes()) {
      String offset =
          n.reference()
              ? "reference clock"
              : n.offsetUncertaintyNanos() == null
                  ? "offset not estimated"
                  : "offset "
                      + signed(n.offsetNanos())
                      + " ±"
                      + duration(n.offsetUncertaintyNanos());
      out.printf(
          Locale.ROOT,
          "  %-4s %s  %s%n       %d events, %s .. %s, %d run(s), %s, coverage %d/%d%n",
          label(n.node()),
          n.node(),
          n.dataDir(),
          n.events(),
          n.firstTimeNanos() == null ? "-" : JournalDump.time(n.firstTimeNanos()),
          n.lastTimeNanos() == null ? "-" : JournalDump.time(n.lastTimeNanos()),
          n.runs(),
          offset,
          n.delivered(),
          n.expected());
      if (n.notJournaled() > 0) {
        out.printf(
            Locale.ROOT,
            "       %d events kept out of its journal on a full disk: not judged around them%n",
            n.notJournaled());
      }
    }
  }

  private void orders(ReplayReport r) {
    String topic = null;
    for (ReplayReport.MessageRow m : r.messages()) {
      if (!m.topic().equals(topic)) {
        topic = m.topic();
        out.println();
        out.println("topic " + topic + ": canonical order, and each node's delivery position");
        StringBuilder head = new StringBuilder("   #  message           origin seqno lamport |");
        for (ReplayReport.Delivery d : m.deliveries()) {
          head.append(String.format(Locale.ROOT, " %6s", label(d.node())));
        }
        out.println(head);
      }
      StringBuilder row =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "%4d  %-16s %6s %5s %7s |",
                  m.canonicalPosition(),
                  abbreviate(m.messageId(), 16),
                  label(m.origin()),
                  m.originSeqno() == null ? "-" : m.originSeqno().toString(),
                  m.lamport() == null ? "-" : m.lamport().toString()));
      for (ReplayReport.Delivery d : m.deliveries()) {
        String cell = d.delivered() ? d.position().toString() : d.expected() ? "LOST" : "-";
        row.append(String.format(Locale.ROOT, " %6s", cell));
      }
      out.println(row);
    }
  }

  private void anomalies(ReplayReport r, long max) {
    out.println();
    long shown = Math.min(max, r.anomalies().size());
    out.printf(Locale.ROOT, "anomalies: %d (%d shown)%n", r.anomalies().size(), shown);
    for (int i = 0; i < shown; i++) {
      Anomaly a = r.anomalies().get(i);
      StringBuilder sb = new StringBuilder("  ").append(a.type().label());
      sb.append(' ').append(a.messageId()).append(" topic ").append(a.topic());
      sb.append(" at ").append(label(a.node()));
      if (a.otherMessageId() != null) {
        sb.append(" against ").append(a.otherMessageId());
      }
      if (a.type() == AnomalyType.ORDER_DIVERGENCE && a.nodes().size() == 2) {
        sb.append(" (").append(label(a.nodes().get(1))).append(" has the other order)");
      }
      if (a.cause() != null) {
        sb.append(" cause ").append(a.cause().label());
      }
      if (a.lateByNanos() != null) {
        sb.append(" by ").append(duration(a.lateByNanos()));
      }
      out.println(sb);
      for (Witness w : a.witnesses()) {
        out.printf(
            Locale.ROOT,
            "      %s index %d %s %s%n",
            label(w.node()),
            w.index(),
            JournalDump.time(w.timeNanos()),
            w.type());
      }
    }
  }

  private void summary(ReplayReport r) {
    ReplayReport.Summary s = r.summary();
    out.println();
    out.printf(
        Locale.ROOT,
        "summary: %d node(s), %d message(s), %d deliveries, %d duplicate receipts, %d negative"
            + " delay(s)%n",
        s.nodes(),
        s.messages(),
        s.deliveries(),
        s.duplicateReceipts(),
        s.negativeDelays());
    StringBuilder counts = new StringBuilder("  anomalies:");
    s.anomalies().forEach((t, n) -> counts.append(' ').append(t.label()).append('=').append(n));
    out.println(counts);
    for (ReplayReport.TopicSummary t : s.topics()) {
      out.printf(
          Locale.ROOT,
          "  topic %s: %d message(s), delay p50 %s p90 %s p99 %s max %s (%d measured)%n",
          t.topic(),
          t.messages(),
          duration(t.p50Nanos()),
          duration(t.p90Nanos()),
          duration(t.p99Nanos()),
          duration(t.maxNanos()),
          t.delays());
      StringBuilder reach = new StringBuilder("    reached by:");
      for (ReplayReport.ReachPoint p : t.reach()) {
        reach.append(
            String.format(Locale.ROOT, " %s=%.1f%%", duration(p.afterNanos()), p.fraction() * 100));
      }
      out.println(reach);
    }
    for (ReplayReport.Skipped k : r.skipped()) {
      out.println(
          "  skipped " + k.dataDir() + " after " + k.eventsRead() + " events: " + k.reason());
    }
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 2) + "..";
  }

  private static String signed(long nanos) {
    return (nanos < 0 ? "-" : "+") + duration(Math.abs(nanos));
  }

  static String duration(Long nanos) {
    if (nanos == null) {
      return "-";
    }
    long n = nanos;
    if (Math.abs(n) >= 1_000_000_000L) {
      return String.format(Locale.ROOT, "%.3fs", n / 1e9);
    }
    return String.format(Locale.ROOT, "%.3fms", n / 1e6);
  }
}
