package io.meshlog.tools.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One screen of {@code meshlog top}: the latest {@link TopSample} with the rates since the one
 * before, as a JSON object (the fields docs/top.md lists) or as text tables. A rate is the change
 * of a total over the interval between the two samples; -1 where there is no earlier total (a topic
 * or peer that just appeared, a node without meters). Stateless apart from its two samples.
 */
final class TopFrame {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TopSample before;
  private final TopSample now;
  private final double seconds;

  TopFrame(TopSample before, TopSample now) {
    this.before = before;
    this.now = now;
    this.seconds = (now.nanos() - before.nanos()) / 1e9;
  }

  /** The change of a total per second, -1 when either total is unknown (negative). */
  private double rate(long earlier, long later) {
    if (earlier < 0 || later < 0 || seconds <= 0) {
      return -1;
    }
    return (later - earlier) / seconds;
  }

  double eventsPerSecond() {
    return rate(before.journal().eventsAppended(), now.journal().eventsAppended());
  }

  /** The object {@code --format json} prints: one line, fields in docs/top.md. */
  String json() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("time", Instant.ofEpochMilli(now.epochMillis()).toString());
    o.put("intervalMillis", Math.round(seconds * 1000));
    TopSample.Node n = now.node();
    Map<String, Object> node = new LinkedHashMap<>();
    node.put("peerId", n.peerId());
    node.put("agentVersion", n.agentVersion());
    node.put("uptimeSeconds", n.uptimeSeconds());
    node.put("health", n.health());
    node.put("healthReason", n.healthReason());
    node.put("sequencerReachable", n.sequencerReachable());
    node.put("listenAddresses", n.listenAddresses());
    o.put("node", node);
    TopSample.JournalSample j = now.journal();
    Map<String, Object> journal = new LinkedHashMap<>();
    journal.put("appendedIndex", j.appendedIndex());
    journal.put("appliedIndex", j.appliedIndex());
    journal.put("lag", j.lag());
    journal.put("eventsAppended", j.eventsAppended());
    journal.put("eventsPerSecond", round(eventsPerSecond()));
    journal.put("sizeBytes", j.sizeBytes());
    journal.put("ringRemainingCapacity", j.ringRemainingCapacity());
    journal.put("backpressureStalls", j.backpressureStalls());
    o.put("journal", journal);
    Map<String, TopSample.Topic> earlierTopics = new HashMap<>();
    before.topics().forEach(t -> earlierTopics.put(t.topic(), t));
    List<Map<String, Object>> topics = new ArrayList<>();
    for (TopSample.Topic t : now.topics()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("topic", t.topic());
      row.put("subscribed", t.subscribed());
      row.put("meshPeers", t.meshPeers());
      row.put("messages", t.messages());
      row.put("messagesPerSecond", round(topicRate(earlierTopics.get(t.topic()), t)));
      row.put("duplicates", t.duplicates());
      row.put("rejects", t.rejects());
      row.put("latencyP50Millis", round(t.latencyP50Millis()));
      row.put("latencyP99Millis", round(t.latencyP99Millis()));
      row.put("latencyMaxMillis", round(t.latencyMaxMillis()));
      row.put("lastReceived", t.lastReceived());
      row.put("unconfirmed", t.unconfirmed());
      row.put("lastFinalSeq", t.lastFinalSeq());
      topics.add(row);
    }
    o.put("topics", topics);
    Map<String, TopSample.Peer> earlierPeers = earlierPeers();
    List<Map<String, Object>> peers = new ArrayList<>();
    for (TopSample.Peer p : now.peers()) {
      TopSample.Peer e = earlierPeers.get(p.peerId());
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("peerId", p.peerId());
      row.put("direction", p.direction());
      row.put("connectionType", p.connectionType());
      row.put("remoteAddress", p.remoteAddress());
      row.put("agent", p.agent());
      row.put("topics", p.topics());
      row.put("graylisted", p.graylisted());
      row.put("rttMillis", round(p.rttMillis()));
      row.put("score", round(p.score()));
      row.put("messagesIn", p.messagesIn());
      row.put("messagesOut", p.messagesOut());
      row.put("messagesInPerSecond", round(e == null ? -1 : rate(e.messagesIn(), p.messagesIn())));
      row.put(
          "messagesOutPerSecond", round(e == null ? -1 : rate(e.messagesOut(), p.messagesOut())));
      row.put("bytesIn", p.bytesIn());
      row.put("bytesOut", p.bytesOut());
      peers.add(row);
    }
    o.put("peers", peers);
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The text screen, lines without line ends; at most {@code width} columns each. */
  List<String> text(int width) {
    List<String> lines = new ArrayList<>();
    TopSample.Node n = now.node();
    String health = n.healthReason().isEmpty() ? n.health() : n.health() + ": " + n.healthReason();
    lines.add(
        "meshlog top  "
            + n.peerId()
            + "  up "
            + uptime(n.uptimeSeconds())
            + "  "
            + Instant.ofEpochMilli(now.epochMillis()).toString());
    lines.add(
        "health "
            + health
            + "  sequencer "
            + (n.sequencerReachable() ? "reachable" : "unreachable")
            + "  agent "
            + n.agentVersion());
    TopSample.JournalSample j = now.journal();
    lines.add(
        String.format(
            Locale.ROOT,
            "journal appended %d  applied %d  lag %d  events %d  events/s %s  size %s  stalls %d",
            j.appendedIndex(),
            j.appliedIndex(),
            j.lag(),
            j.eventsAppended(),
            figure(eventsPerSecond()),
            bytes(j.sizeBytes()),
            j.backpressureStalls()));
    lines.add("");
    lines.add(
        String.format(
            Locale.ROOT,
            "%-24s %5s %9s %10s %8s %8s %9s %9s %8s %10s",
            "TOPIC",
            "MESH",
            "MSGS/S",
            "MSGS",
            "DUPS",
            "REJECTS",
            "P50 MS",
            "P99 MS",
            "UNCONF",
            "FINAL SEQ"));
    Map<String, TopSample.Topic> earlierTopics = new HashMap<>();
    before.topics().forEach(t -> earlierTopics.put(t.topic(), t));
    for (TopSample.Topic t : now.topics()) {
      lines.add(
          String.format(
              Locale.ROOT,
              "%-24s %5d %9s %10d %8d %8d %9s %9s %8d %10s",
              clip(t.topic(), 24),
              t.meshPeers(),
              figure(topicRate(earlierTopics.get(t.topic()), t)),
              t.messages(),
              t.duplicates(),
              t.rejects(),
              figure(t.latencyP50Millis()),
              figure(t.latencyP99Millis()),
              t.unconfirmed(),
              t.lastFinalSeq() < 0 ? "-" : Long.toString(t.lastFinalSeq())));
    }
    if (now.topics().isEmpty()) {
      lines.add("(no topics)");
    }
    lines.add("");
    lines.add(
        String.format(
            Locale.ROOT,
            "%-20s %-8s %8s %8s %9s %9s %8s %8s  %s",
            "PEER",
            "DIR",
            "RTT MS",
            "SCORE",
            "MSGS IN",
            "MSGS OUT",
            "IN/S",
            "OUT/S",
            "AGENT"));
    Map<String, TopSample.Peer> earlierPeers = earlierPeers();
    for (TopSample.Peer p : now.peers()) {
      TopSample.Peer e = earlierPeers.get(p.peerId());
      lines.add(
          String.format(
              Locale.ROOT,
              "%-20s %-8s %8s %8s %9d %9d %8s %8s  %s",
              shortId(p.peerId()),
              p.direction(),
              figure(p.rttMillis()),
              String.format(Locale.ROOT, "%.1f", p.score()),
              p.messagesIn(),
              p.messagesOut(),
              figure(e == null ? -1 : rate(e.messagesIn(), p.messagesIn())),
              figure(e == null ? -1 : rate(e.messagesOut(), p.messagesOut())),
              p.graylisted().isEmpty() ? p.agent() : "graylisted: " + p.graylisted()));
    }
    if (now.peers().isEmpty()) {
      lines.add("(no peers connected)");
    }
    lines.replaceAll(l -> clip(l, width));
    return lines;
  }

  private double topicRate(TopSample.Topic earlier, TopSample.Topic t) {
    return earlier == null ? -1 : rate(earlier.messages(), t.messages());
  }

  private Map<String, TopSample.Peer> earlierPeers() {
    Map<String, TopSample.Peer> earlier = new HashMap<>();
    before.peers().forEach(p -> earlier.put(p.peerId(), p));
    return earlier;
  }

  /** Two decimals: rates and milliseconds to read, not to carry noise. */
  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  /** A measured figure, or "-" where the node says none was measured (-1). */
  private static String figure(double v) {
    return v == -1 ? "-" : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String shortId(String peerId) {
    return peerId.length() <= 20
        ? peerId
        : peerId.substring(0, 12) + ".." + peerId.substring(peerId.length() - 6);
  }

  private static String clip(String s, int width) {
    return s.length() <= width ? s : s.substring(0, Math.max(0, width));
  }

  private static String uptime(long seconds) {
    return String.format(
        Locale.ROOT,
        "%dd %02d:%02d:%02d",
        seconds / 86400,
        seconds / 3600 % 24,
        seconds / 60 % 60,
        seconds % 60);
  }

  private static String bytes(long n) {
    if (n < 0) {
      return "-";
    }
    if (n < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
  }
}
