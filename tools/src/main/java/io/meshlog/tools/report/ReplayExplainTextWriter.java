package io.meshlog.tools.report;

import io.meshlog.reconciliation.replay.Anomaly;
import io.meshlog.reconciliation.replay.Explanation;
import io.meshlog.reconciliation.replay.Witness;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code meshlog replay explain --format text}: for people. Nodes get the text view's labels (n1,
 * n2… in peer-id order); times are UTC on the reference clock, delays after publish. The layout may
 * change; scripts use JSON.
 */
public final class ReplayExplainTextWriter {
  private final PrintWriter out;
  private final Explanation x;
  private final Map<String, String> label = new HashMap<>();

  private ReplayExplainTextWriter(Explanation x, PrintWriter out) {
    this.x = x;
    this.out = out;
    List<Explanation.NodeStory> nodes = x.nodes();
    for (int i = 0; i < nodes.size(); i++) {
      label.put(nodes.get(i).node(), "n" + (i + 1));
    }
  }

  public static void write(Explanation x, PrintWriter out) {
    new ReplayExplainTextWriter(x, out).write();
  }

  private String label(String peer) {
    return peer == null ? "-" : label.getOrDefault(peer, peer);
  }

  private void write() {
    out.printf(Locale.ROOT, "message %s, topic %s%n", x.messageId(), x.topic());
    out.printf(
        Locale.ROOT,
        "  origin %s %s, seqno %s, Lamport %s%s, canonical position %d%n",
        label(x.origin()),
        x.origin() == null ? "(unknown)" : x.origin(),
        x.originSeqno() == null ? "-" : x.originSeqno(),
        x.lamport() == null ? "-" : x.lamport(),
        x.finalSeq() == null ? "" : ", final seq " + x.finalSeq(),
        x.canonicalPosition());
    out.printf(
        Locale.ROOT,
        "  published %s%n",
        x.publishTimeNanos() == null
            ? "(time unknown); first delivery " + clock(x.firstDeliveryNanos())
            : clock(x.publishTimeNanos()) + " (" + x.publishTimeSource() + ")");
    out.println("why: " + x.why());
    out.println("nodes:");
    for (Explanation.NodeStory s : x.nodes()) {
      out.printf(Locale.ROOT, "  %s %s  %s%n", label(s.node()), s.node(), s.dataDir());
      if (s.delivered()) {
        out.printf(
            Locale.ROOT,
            "    %s at %s%s, %s%s, journal index %d, position %s (canonical %d)%s%n",
            s.verdict(),
            clock(s.timeNanos()),
            s.delayNanos() == null ? "" : " (+" + ms(s.delayNanos()) + ")",
            "route " + s.route(),
            s.forwarder() == null ? "" : " from " + label(s.forwarder()),
            s.index(),
            s.position(),
            x.canonicalPosition(),
            s.deliveries() > 1 ? ", delivered " + s.deliveries() + " times" : "");
      } else {
        out.printf(
            Locale.ROOT,
            "    %s%s%n",
            s.verdict(),
            s.rejectReason() == null ? "" : ": " + s.rejectReason());
      }
      if (s.ihave() != null) {
        out.printf(
            Locale.ROOT,
            "    IHAVE from %s at %s (index %d)%n",
            label(s.ihave().peer()),
            clock(s.ihave().timeNanos()),
            s.ihave().index());
      }
      for (Explanation.Receipt d : s.duplicates()) {
        out.printf(
            Locale.ROOT,
            "    duplicate from %s at %s (index %d)%n",
            label(d.peer()),
            clock(d.timeNanos()),
            d.index());
      }
      if (s.meshPeers() != null) {
        out.printf(
            Locale.ROOT,
            "    mesh peers in %s then: %d%s%n",
            x.topic(),
            s.meshPeers(),
            s.lastPrune() == null
                ? ""
                : "; last PRUNE "
                    + label(s.lastPrune().peer())
                    + " at "
                    + clock(s.lastPrune().timeNanos()));
      }
      out.println("    " + s.story());
    }
    out.println("critical path:");
    for (Explanation.Hop h : x.criticalPath()) {
      out.printf(
          Locale.ROOT,
          "  %s -> %s  %s at %s%s%n",
          label(h.from()),
          label(h.to()),
          h.route(),
          clock(h.timeNanos()),
          h.hopNanos() == null ? "" : " (hop " + ms(h.hopNanos()) + ")");
    }
    out.printf(Locale.ROOT, "anomalies: %d%n", x.anomalies().size());
    for (Anomaly a : x.anomalies()) {
      out.printf(
          Locale.ROOT,
          "  %s at %s%s%n",
          a.type().label(),
          label(a.node()),
          a.cause() == null ? "" : " (" + a.cause().label() + ")");
      for (Witness w : a.witnesses()) {
        out.printf(Locale.ROOT, "    %s #%d %s%n", label(w.node()), w.index(), w.type().name());
      }
    }
  }

  private static String clock(long nanos) {
    return Instant.ofEpochSecond(
            Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L))
        .toString();
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
  }
}
