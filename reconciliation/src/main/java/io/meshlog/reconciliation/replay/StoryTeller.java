package io.meshlog.reconciliation.replay;

import io.meshlog.eventlog.EventType;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a message's report row, its per-node trails and its anomalies into an {@link Explanation}:
 * the node stories, the critical path and the line of "why". Prose names nodes as the text view
 * does ({@code n1}, {@code n2}… in peer-id order) and other peers by the tail of their id; clock
 * times are UTC on the reference clock.
 *
 * <p>Not thread-safe; one instance per explanation.
 */
final class StoryTeller {
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final ReplayReport report;
  private final ReplayReport.MessageRow row;
  private final Map<String, MessageTrail> trails;
  private final List<Anomaly> anomalies;
  private final ReplayOptions options;
  private final Map<String, Integer> number = new HashMap<>();
  private final Map<String, Long> offset = new HashMap<>();
  private final Map<String, ReplayReport.Delivery> delivery = new HashMap<>();

  StoryTeller(
      ReplayReport report,
      ReplayReport.MessageRow row,
      Map<String, MessageTrail> trails,
      List<Anomaly> anomalies,
      ReplayOptions options) {
    this.report = report;
    this.row = row;
    this.trails = trails;
    this.anomalies = anomalies;
    this.options = options;
    for (ReplayReport.NodeSummary n : report.nodes()) {
      number.put(n.node(), number.size() + 1);
      offset.put(n.node(), n.offsetNanos());
    }
    for (ReplayReport.Delivery d : row.deliveries()) {
      delivery.put(d.node(), d);
    }
  }

  Explanation tell() {
    List<Explanation.NodeStory> stories = new ArrayList<>();
    Map<String, ReplayReport.NodeSummary> summaries = new HashMap<>();
    for (ReplayReport.NodeSummary n : report.nodes()) {
      summaries.put(n.node(), n);
    }
    for (ReplayReport.Delivery d : row.deliveries()) {
      stories.add(story(d, summaries.get(d.node()).dataDir(), trails.get(d.node())));
    }
    List<Explanation.Hop> path = criticalPath(stories);
    return new Explanation(
        row.messageId(),
        row.topic(),
        row.origin(),
        row.originSeqno(),
        row.lamport(),
        row.finalSeq(),
        row.canonicalPosition(),
        row.publishTimeNanos(),
        row.publishTimeSource(),
        row.firstDeliveryNanos(),
        stories,
        path,
        anomalies,
        why(stories, path));
  }

  private Explanation.NodeStory story(ReplayReport.Delivery d, String dataDir, MessageTrail t) {
    String route = MessageExplain.route(d, t);
    Explanation.Receipt ihave =
        t != null && "iwant".equals(route) ? receipt(d.node(), t.ihave()) : null;
    List<Explanation.Receipt> dups = new ArrayList<>();
    if (t != null) {
      for (MessageTrail.Mark m : t.duplicates) {
        dups.add(receipt(d.node(), m));
      }
    }
    Explanation.Receipt prune = t == null ? null : receipt(d.node(), t.pruneBeforeDelivery);
    List<String> labels = new ArrayList<>();
    for (Anomaly a : anomalies) {
      if (d.node().equals(a.node())) {
        labels.add(a.type().label());
      }
    }
    String verdict;
    if (d.delivered()) {
      verdict =
          switch (d.via()) {
            case "publish" -> "published";
            case "sync" -> "synced";
            default -> "accepted";
          };
    } else {
      verdict = t != null && t.rejected != null ? "rejected" : "not delivered";
    }
    Long time = d.timeNanos() == null ? null : corrected(d.node(), d.timeNanos());
    Explanation.NodeStory s =
        new Explanation.NodeStory(
            d.node(),
            dataDir,
            d.expected(),
            d.delivered(),
            verdict,
            t != null && t.rejected != null ? t.rejected.text() : null,
            d.via(),
            route,
            d.forwarder(),
            d.index(),
            d.timeNanos(),
            time,
            d.delayNanos(),
            d.position(),
            d.deliveries(),
            ihave,
            dups,
            t == null ? null : t.meshAtDelivery,
            prune,
            labels,
            null);
    return withStory(s, prose(s));
  }

  private static Explanation.NodeStory withStory(Explanation.NodeStory s, String story) {
    return new Explanation.NodeStory(
        s.node(),
        s.dataDir(),
        s.expected(),
        s.delivered(),
        s.verdict(),
        s.rejectReason(),
        s.via(),
        s.route(),
        s.forwarder(),
        s.index(),
        s.journalTimeNanos(),
        s.timeNanos(),
        s.delayNanos(),
        s.position(),
        s.deliveries(),
        s.ihave(),
        s.duplicates(),
        s.meshPeers(),
        s.lastPrune(),
        s.anomalies(),
        story);
  }

  private long corrected(String node, long journalTime) {
    return journalTime - offset.getOrDefault(node, 0L);
  }

  private Explanation.Receipt receipt(String node, MessageTrail.Mark m) {
    if (m == null) {
      return null;
    }
    return new Explanation.Receipt(
        m.peer(), m.index(), m.timeNanos(), corrected(node, m.timeNanos()), m.text());
  }

  /** From the last node to deliver back along its forwarders to the origin (or an unknown hop). */
  private List<Explanation.Hop> criticalPath(List<Explanation.NodeStory> stories) {
    Explanation.NodeStory last = null;
    for (Explanation.NodeStory s : stories) {
      if (s.delivered() && (last == null || s.timeNanos() > last.timeNanos())) {
        last = s;
      }
    }
    List<Explanation.Hop> reversed = new ArrayList<>();
    Map<String, Explanation.NodeStory> byNode = new HashMap<>();
    for (Explanation.NodeStory s : stories) {
      byNode.put(s.node(), s);
    }
    Set<String> seen = new HashSet<>();
    Explanation.NodeStory at = last;
    while (at != null && seen.add(at.node())) {
      Explanation.NodeStory from = at.forwarder() == null ? null : byNode.get(at.forwarder());
      boolean known = from != null && from.delivered() && !seen.contains(from.node());
      reversed.add(
          new Explanation.Hop(
              known ? from.node() : at.forwarder(),
              at.node(),
              at.route(),
              at.timeNanos(),
              known ? at.timeNanos() - from.timeNanos() : null));
      at = known ? from : null;
    }
    List<Explanation.Hop> path = new ArrayList<>();
    for (int i = reversed.size() - 1; i >= 0; i--) {
      path.add(reversed.get(i));
    }
    return path;
  }

  private String why(List<Explanation.NodeStory> stories, List<Explanation.Hop> path) {
    for (Anomaly a : anomalies) {
      for (Explanation.NodeStory s : stories) {
        if (s.node().equals(a.node())) {
          return s.story();
        }
      }
    }
    if (path.isEmpty()) {
      return "no node given delivered " + shortId(row.messageId()) + ".";
    }
    String lastNode = path.get(path.size() - 1).to();
    for (Explanation.NodeStory s : stories) {
      if (s.node().equals(lastNode)) {
        return s.story() + "; it was the last to deliver it and no anomaly concerns it.";
      }
    }
    return "";
  }

  private String prose(Explanation.NodeStory s) {
    String me = label(s.node());
    StringBuilder b = new StringBuilder();
    if (!s.delivered()) {
      b.append(me);
      if ("rejected".equals(s.verdict())) {
        b.append(" rejected it: ").append(s.rejectReason());
      } else if (!s.expected()) {
        b.append(" was not expected to deliver it (not subscribed to ")
            .append(row.topic())
            .append(" inside its journal then)");
      } else {
        b.append(" never delivered it");
      }
      lost(s, b);
      if (!s.duplicates().isEmpty()) {
        b.append("; it received ").append(s.duplicates().size()).append(" copies as duplicates");
      }
      return b.append('.').toString();
    }
    if ("publish".equals(s.route())) {
      b.append(me).append(" published it at ").append(clock(s.timeNanos()));
      if (row.lamport() != null) {
        b.append(" (Lamport ").append(row.lamport());
        if (row.originSeqno() != null) {
          b.append(", seqno ").append(row.originSeqno());
        }
        b.append(')');
      }
    } else {
      b.append("reached ").append(me).append(" via ").append(routeWords(s.route()));
      if (s.forwarder() != null) {
        b.append(" from ").append(label(s.forwarder()));
      }
      b.append(' ').append(since(s.timeNanos()));
      if (s.ihave() != null) {
        b.append(" (")
            .append(label(s.ihave().peer()))
            .append("'s IHAVE came ")
            .append(since(s.ihave().timeNanos()))
            .append(')');
      }
      mesh(s, b);
    }
    if (s.position() != null) {
      b.append("; delivery position ")
          .append(s.position())
          .append(", canonical ")
          .append(row.canonicalPosition());
    }
    for (Anomaly a : anomalies) {
      if (s.node().equals(a.node())) {
        anomaly(s, a, b);
      }
    }
    if (!s.duplicates().isEmpty()) {
      b.append("; ").append(s.duplicates().size()).append(" duplicate receipt(s)");
    }
    return b.toString();
  }

  private void mesh(Explanation.NodeStory s, StringBuilder b) {
    Explanation.Receipt prune = s.lastPrune();
    if (s.meshPeers() != null && s.meshPeers() == 0) {
      b.append("; ").append(label(s.node())).append(" had no mesh peer in ").append(row.topic());
      if (prune != null) {
        b.append(" since it pruned ")
            .append(label(prune.peer()))
            .append(" at ")
            .append(clock(prune.timeNanos()));
      }
    } else if (prune != null && !"mesh".equals(s.route())) {
      b.append("; its mesh in ")
          .append(row.topic())
          .append(" had pruned ")
          .append(label(prune.peer()))
          .append(" at ")
          .append(clock(prune.timeNanos()));
    }
  }

  private void anomaly(Explanation.NodeStory s, Anomaly a, StringBuilder b) {
    b.append("; ").append(a.type().label());
    switch (a.type()) {
      case LATE -> {
        b.append(": ")
            .append(duration(a.lateByNanos()))
            .append(" after the first delivery (threshold ")
            .append(duration(options.lateAfterNanos()))
            .append(')');
        ReplayReport.Delivery f = s.forwarder() == null ? null : delivery.get(s.forwarder());
        if (f != null && f.delivered()) {
          long hop = s.timeNanos() - corrected(f.node(), f.timeNanos());
          b.append(", the hop from ")
              .append(label(f.node()))
              .append(" took ")
              .append(duration(hop));
        }
      }
      case DUPLICATE_DELIVERY -> b.append(": delivered ").append(s.deliveries()).append(" times");
      case FIFO_INVERSION, CAUSAL_INVERSION, ORDER_DIVERGENCE -> {
        b.append(" against ").append(shortId(a.otherMessageId()));
        if (a.type() == AnomalyType.ORDER_DIVERGENCE && a.nodes().size() > 1) {
          b.append(" (").append(label(a.nodes().get(1))).append(" has them the other way round)");
        }
      }
      default -> {}
    }
  }

  private void lost(Explanation.NodeStory s, StringBuilder b) {
    for (Anomaly a : anomalies) {
      if (a.type() != AnomalyType.LOST || !s.node().equals(a.node())) {
        continue;
      }
      b.append(": lost, ").append(a.cause().label());
      if (a.cause() == LostCause.DOWN) {
        Witness stop = null;
        Witness restart = null;
        for (Witness w : a.witnesses()) {
          if (!w.node().equals(s.node())) {
            continue;
          }
          if (w.type() == EventType.NODE_STARTED) {
            restart = restart == null ? w : restart;
          } else if (w.type() != EventType.JOIN && w.type() != EventType.JOURNAL_CYCLE) {
            stop = w;
          }
        }
        if (stop != null) {
          b.append(" (its journal stops at ").append(clock(corrected(s.node(), stop.timeNanos())));
          if (restart != null) {
            b.append(" and resumes at ").append(clock(corrected(s.node(), restart.timeNanos())));
          }
          b.append(" with no NODE_STOPPED: it crashed)");
        }
      } else if (a.cause() == LostCause.NOT_IN_MESH && s.lastPrune() != null) {
        b.append(" (last PRUNE of ")
            .append(label(s.lastPrune().peer()))
            .append(" at ")
            .append(clock(s.lastPrune().timeNanos()))
            .append(')');
      }
    }
  }

  private static String routeWords(String route) {
    return switch (route) {
      case "mesh" -> "mesh push";
      case "iwant" -> "IWANT";
      case "flood" -> "flood publish";
      case "sync" -> "gap sync";
      default -> "an unrecorded route";
    };
  }

  private String since(long timeNanos) {
    if (row.publishTimeNanos() != null) {
      return duration(timeNanos - row.publishTimeNanos()) + " after publish";
    }
    return duration(timeNanos - row.firstDeliveryNanos()) + " after the first delivery";
  }

  private String label(String peer) {
    if (peer == null) {
      return "?";
    }
    Integer n = number.get(peer);
    return n != null ? "n" + n : "peer …" + peer.substring(Math.max(0, peer.length() - 6));
  }

  private static String shortId(String hex) {
    return hex == null ? "?" : hex.length() <= 16 ? hex : hex.substring(0, 16) + "…";
  }

  static String clock(long nanos) {
    return CLOCK.format(
        Instant.ofEpochSecond(
            Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)));
  }

  static String duration(long nanos) {
    long a = Math.abs(nanos);
    String s;
    if (a >= 1_000_000_000L) {
      s = String.format(Locale.ROOT, "%.3f s", a / 1e9);
    } else if (a >= 1_000_000L) {
      s = String.format(Locale.ROOT, "%.1f ms", a / 1e6);
    } else {
      s = String.format(Locale.ROOT, "%d µs", a / 1000);
    }
    return nanos < 0 ? "-" + s : s;
  }
}
