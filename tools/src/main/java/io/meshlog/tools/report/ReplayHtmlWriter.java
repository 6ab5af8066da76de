package io.meshlog.tools.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.meshlog.reconciliation.replay.Anomaly;
import io.meshlog.reconciliation.replay.AnomalyType;
import io.meshlog.reconciliation.replay.Explanation;
import io.meshlog.reconciliation.replay.ReplayOptions;
import io.meshlog.reconciliation.replay.ReplayReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code meshlog replay --html FILE}: one self-contained page (script and style inline, nothing
 * fetched) with the space-time diagram, the anomaly list, the reach CDF per topic and a per-message
 * explain panel. The page is the template {@code replay.html} with the report embedded as compact
 * JSON; the script draws on a canvas, a window of messages at a time, so the page stays usable for
 * 50 nodes × 10,000 messages.
 *
 * <p>Size cap: at most {@link #MAX_MESSAGES} messages and {@link #MAX_ANOMALIES} anomalies are
 * embedded (the first ones in report order; the page says how many were left out and the summary
 * still counts all). With that, 50 nodes × 10,000 messages delivered everywhere is under {@link
 * #SIZE_CAP_BYTES}. Times are embedded in microseconds on the reference clock, relative to the
 * first delivery of the report, so that they fit a JavaScript number exactly.
 */
public final class ReplayHtmlWriter {
  /** Most messages embedded. */
  public static final int MAX_MESSAGES = 10_000;

  /** Most anomalies embedded. */
  public static final int MAX_ANOMALIES = 5_000;

  /** What a page of 50 nodes × {@link #MAX_MESSAGES} messages stays under (docs/replay.md). */
  public static final long SIZE_CAP_BYTES = 16L << 20;

  static final String DATA_MARK = "/*@REPLAY_DATA@*/null";

  private static final JsonFactory JSON = new JsonFactory();

  private ReplayHtmlWriter() {}

  /** Most messages whose full explain view is embedded ({@link #explained}). */
  public static final int MAX_EXPLAINED = 200;

  /**
   * Most bytes the embedded explain views take: with 50 nodes a view is about 20 KB, so fewer than
   * {@link #MAX_EXPLAINED} fit, and the page stays under {@link #SIZE_CAP_BYTES}.
   */
  public static final int EXPLAIN_BUDGET_BYTES = 3 << 20;

  /** Writes the page for {@code r} to {@code out}, without embedded explain views. */
  public static void write(ReplayReport r, ReplayOptions options, Writer out) {
    write(r, options, Map.of(), out);
  }

  /**
   * The messages whose full explain view the page embeds: those with anomalies, in report order of
   * their first anomaly, then the first messages of the report, {@link #MAX_EXPLAINED} in all, only
   * among the messages the page holds.
   */
  public static List<String> explained(ReplayReport r) {
    java.util.LinkedHashSet<String> ids = new java.util.LinkedHashSet<>();
    java.util.Set<String> held = new java.util.HashSet<>();
    for (ReplayReport.MessageRow m :
        r.messages().subList(0, Math.min(MAX_MESSAGES, r.messages().size()))) {
      held.add(m.messageId());
    }
    for (Anomaly a : r.anomalies()) {
      if (ids.size() >= MAX_EXPLAINED) {
        break;
      }
      if (held.contains(a.messageId())) {
        ids.add(a.messageId());
      }
    }
    for (ReplayReport.MessageRow m : r.messages()) {
      if (ids.size() >= MAX_EXPLAINED || !held.contains(m.messageId())) {
        break;
      }
      ids.add(m.messageId());
    }
    return List.copyOf(ids);
  }

  /**
   * Writes the page for {@code r} to {@code out}; a click on a message in {@code explanations} (by
   * hex id) shows its full explain view, as {@code replay explain} tells it; other messages show
   * what the report rows hold.
   */
  public static void write(
      ReplayReport r, ReplayOptions options, Map<String, Explanation> explanations, Writer out) {
    String template = template();
    int at = template.indexOf(DATA_MARK);
    if (at < 0) {
      throw new IllegalStateException("replay.html has no data mark");
    }
    try {
      out.write(template, 0, at);
      out.write(data(r, options, explanations));
      out.write(template, at + DATA_MARK.length(), template.length() - at - DATA_MARK.length());
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String template() {
    try (InputStream in = ReplayHtmlWriter.class.getResourceAsStream("replay.html")) {
      if (in == null) {
        throw new IllegalStateException("replay.html missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The embedded report. Layout (the script in replay.html reads it):
   *
   * <pre>
   * {peers:[base58...]            nodes first (in node order), then other forwarders
   *  nodes:[{offsetUs,uncUs,ref,expected,delivered,lost,coverage,runs,dataDir}]
   *  topics:[{name,messages,delays,p50Us,p90Us,p99Us,maxUs,reach:[[afterUs,fraction]...]}]
   *  t0:"epoch ns", messagesTotal, anomaliesTotal, counts:{name:n}, lateAfterUs, skew
   *  messages:[[id,topic,origin,seqno,lamport,finalSeq,canonical,publishUs,firstUs,
   *             [node,afterFirstUs,route,forwarder,position,duplicates,deliveries, node,...]]]
   *  anomalies:[[type,message,node,otherNode,otherMessageId,cause,lateByUs,witnesses]]
   *  explain:{hexId: {the object of `replay explain --format json`}}}
   * </pre>
   *
   * Peer and message references are indexes into {@code peers} and {@code messages} (-1 for none);
   * {@code via} is the report's label.
   */
  static String data(ReplayReport r, ReplayOptions options) {
    return data(r, options, Map.of());
  }

  static String data(ReplayReport r, ReplayOptions options, Map<String, Explanation> explanations) {
    Map<String, Integer> peers = new HashMap<>();
    StringWriter peerList = new StringWriter();
    List<ReplayReport.NodeSummary> nodes = r.nodes();
    Map<String, Long> offsets = new HashMap<>();
    for (ReplayReport.NodeSummary n : nodes) {
      peers.put(n.node(), peers.size());
      offsets.put(n.node(), n.offsetNanos());
    }
    List<ReplayReport.MessageRow> messages =
        r.messages().subList(0, Math.min(MAX_MESSAGES, r.messages().size()));
    long t0 = Long.MAX_VALUE;
    for (ReplayReport.MessageRow m : messages) {
      t0 = Math.min(t0, m.firstDeliveryNanos());
    }
    if (t0 == Long.MAX_VALUE) {
      t0 = 0;
    }
    Map<String, Integer> messageNumber = new HashMap<>();
    for (int i = 0; i < messages.size(); i++) {
      messageNumber.put(messages.get(i).messageId(), i);
    }
    StringWriter s = new StringWriter(1 << 16);
    try (JsonGenerator g = JSON.createGenerator(s)) {
      g.writeStartObject();
      g.writeStringField("t0", Long.toString(t0));
      g.writeNumberField("messagesTotal", r.messages().size());
      g.writeNumberField("anomaliesTotal", r.anomalies().size());
      g.writeNumberField("lateAfterUs", options.lateAfterNanos() / 1000);
      g.writeBooleanField("skew", r.summary().skewCorrection());
      g.writeNumberField("duplicateReceipts", r.summary().duplicateReceipts());
      g.writeNumberField("deliveries", r.summary().deliveries());
      g.writeObjectFieldStart("counts");
      for (Map.Entry<AnomalyType, Long> e : r.summary().anomalies().entrySet()) {
        g.writeNumberField(e.getKey().label(), e.getValue());
      }
      g.writeEndObject();
      g.writeArrayFieldStart("nodes");
      for (ReplayReport.NodeSummary n : nodes) {
        g.writeStartObject();
        g.writeNumberField("offsetUs", n.offsetNanos() / 1000);
        if (n.offsetUncertaintyNanos() != null) {
          g.writeNumberField("uncUs", n.offsetUncertaintyNanos() / 1000);
        }
        g.writeBooleanField("ref", n.reference());
        g.writeNumberField("expected", n.expected());
        g.writeNumberField("delivered", n.delivered());
        g.writeNumberField("lost", n.lost());
        g.writeNumberField("coverage", n.coverage());
        g.writeNumberField("runs", n.runs());
        g.writeStringField("dataDir", n.dataDir());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("topics");
      for (ReplayReport.TopicSummary t : r.summary().topics()) {
        g.writeStartObject();
        g.writeStringField("name", t.topic());
        g.writeNumberField("messages", t.messages());
        g.writeNumberField("delays", t.delays());
        micros(g, "p50Us", t.p50Nanos());
        micros(g, "p90Us", t.p90Nanos());
        micros(g, "p99Us", t.p99Nanos());
        micros(g, "maxUs", t.maxNanos());
        g.writeArrayFieldStart("reach");
        for (ReplayReport.ReachPoint p : t.reach()) {
          g.writeStartArray();
          g.writeNumber(p.afterNanos() / 1000);
          g.writeNumber(Math.round(p.fraction() * 1e4) / 1e4);
          g.writeEndArray();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      Map<String, Integer> topicNumber = new HashMap<>();
      for (ReplayReport.TopicSummary t : r.summary().topics()) {
        topicNumber.put(t.topic(), topicNumber.size());
      }
      g.writeArrayFieldStart("messages");
      for (ReplayReport.MessageRow m : messages) {
        g.writeStartArray();
        g.writeString(m.messageId());
        g.writeNumber(topicNumber.getOrDefault(m.topic(), -1));
        g.writeNumber(peer(peers, peerList, m.origin()));
        nullable(g, m.originSeqno());
        nullable(g, m.lamport());
        nullable(g, m.finalSeq());
        g.writeNumber(m.canonicalPosition());
        if (m.publishTimeNanos() == null) {
          g.writeNull();
        } else {
          g.writeNumber((m.publishTimeNanos() - t0) / 1000);
        }
        g.writeNumber((m.firstDeliveryNanos() - t0) / 1000);
        long first = m.firstDeliveryNanos();
        g.writeStartArray();
        for (ReplayReport.Delivery d : m.deliveries()) {
          if (!d.delivered()) {
            continue;
          }
          g.writeNumber(peers.get(d.node()));
          g.writeNumber((d.timeNanos() - offsets.getOrDefault(d.node(), 0L) - first) / 1000);
          g.writeNumber(route(d.route()));
          g.writeNumber(peer(peers, peerList, d.forwarder()));
          g.writeNumber(d.position() == null ? -1 : d.position());
          g.writeNumber(d.duplicates());
          g.writeNumber(d.deliveries());
        }
        g.writeEndArray();
        g.writeEndArray();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("anomalies");
      int shown = 0;
      for (Anomaly a : r.anomalies()) {
        Integer message = messageNumber.get(a.messageId());
        if (message == null) {
          continue; // its message was left out by the cap
        }
        if (shown++ >= MAX_ANOMALIES) {
          break;
        }
        g.writeStartArray();
        g.writeString(a.type().label());
        g.writeNumber(message);
        g.writeNumber(peer(peers, peerList, a.node()));
        g.writeNumber(a.nodes().size() > 1 ? peer(peers, peerList, a.nodes().get(1)) : -1);
        g.writeString(a.otherMessageId());
        g.writeString(a.cause() == null ? null : a.cause().label());
        nullable(g, a.lateByNanos() == null ? null : a.lateByNanos() / 1000);
        g.writeNumber(a.witnesses().size());
        g.writeEndArray();
      }
      g.writeEndArray();
      // The full explain views, as `replay explain --format json` prints them, by message id.
      g.writeObjectFieldStart("explain");
      long budget = EXPLAIN_BUDGET_BYTES;
      for (Map.Entry<String, Explanation> x : explanations.entrySet()) {
        if (!messageNumber.containsKey(x.getKey())) {
          continue;
        }
        StringWriter one = new StringWriter();
        try (JsonGenerator v = JSON.createGenerator(one)) {
          ReplayExplainJsonWriter.write(x.getValue(), v);
        }
        budget -= one.getBuffer().length() + x.getKey().length() + 4;
        if (budget < 0) {
          break; // in the order given: the rest show what the rows hold
        }
        g.writeFieldName(x.getKey());
        g.writeRawValue(one.toString());
      }
      g.writeEndObject();
      g.writeArrayFieldStart("peers");
      for (ReplayReport.NodeSummary n : nodes) {
        g.writeString(n.node());
      }
      if (peerList.getBuffer().length() > 0) {
        g.writeRawValue(peerList.toString().substring(1));
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Inside a <script> element "</script" would end it; '<' only occurs in strings here.
    return s.toString().replace("<", "\\u003c");
  }

  /** The index of {@code peer}, adding a forwarder that is not one of the nodes; -1 for null. */
  private static int peer(Map<String, Integer> peers, StringWriter extra, String peer) {
    if (peer == null) {
      return -1;
    }
    Integer known = peers.get(peer);
    if (known != null) {
      return known;
    }
    peers.put(peer, peers.size());
    extra.append(",\"").append(peer).append('"'); // base58: no character needs escaping
    return peers.size() - 1;
  }

  private static int route(String label) {
    return switch (label) {
      case "publish" -> 0;
      case "mesh" -> 1;
      case "iwant" -> 2;
      case "flood" -> 3;
      case "sync" -> 4;
      default -> 5;
    };
  }

  private static void micros(JsonGenerator g, String name, Long nanos) throws IOException {
    if (nanos == null) {
      g.writeNullField(name);
    } else {
      g.writeNumberField(name, nanos / 1000);
    }
  }

  private static void nullable(JsonGenerator g, Long v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else {
      g.writeNumber(v);
    }
  }
}
