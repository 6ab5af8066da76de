package io.meshlog.tools.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.meshlog.reconciliation.replay.Anomaly;
import io.meshlog.reconciliation.replay.AnomalyType;
import io.meshlog.reconciliation.replay.ReplayOptions;
import io.meshlog.reconciliation.replay.ReplayReport;
import io.meshlog.reconciliation.replay.Witness;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code meshlog replay --format json}: JSON lines, one complete object per line starting with
 * {@code {}: a {@code message} line per message, an {@code anomaly} line per anomaly shown, and a
 * {@code summary} line last. Keys are written in a fixed order; docs/replay.md lists them all.
 */
public final class ReplayJsonWriter {
  private static final JsonFactory JSON = new JsonFactory();

  private final JsonGenerator gen;
  private final PrintWriter out;

  private ReplayJsonWriter(PrintWriter out) throws IOException {
    this.out = out;
    this.gen = JSON.createGenerator(out);
    gen.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    gen.setRootValueSeparator(null); // no space between root values: every line starts with '{'
  }

  public static void write(
      ReplayReport r, ReplayOptions options, long maxAnomalies, PrintWriter out) {
    try {
      ReplayJsonWriter w = new ReplayJsonWriter(out);
      for (ReplayReport.MessageRow m : r.messages()) {
        w.message(m);
      }
      long shown = 0;
      for (Anomaly a : r.anomalies()) {
        if (shown++ >= maxAnomalies) {
          break;
        }
        w.anomaly(a);
      }
      w.summary(r, options, Math.min(maxAnomalies, r.anomalies().size()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void endLine() throws IOException {
    gen.flush();
    out.println();
  }

  // The message lines are most of the output (one per message, an object per node in each): their
  // keys, and the node ids and labels they repeat, are escaped once here rather than per line.
  private static final SerializedString KIND = new SerializedString("kind");
  private static final SerializedString MESSAGE = new SerializedString("message");
  private static final SerializedString MESSAGE_ID = new SerializedString("messageId");
  private static final SerializedString TOPIC = new SerializedString("topic");
  private static final SerializedString ORIGIN = new SerializedString("origin");
  private static final SerializedString ORIGIN_SEQNO = new SerializedString("originSeqno");
  private static final SerializedString LAMPORT = new SerializedString("lamport");
  private static final SerializedString FINAL_SEQ = new SerializedString("finalSeq");
  private static final SerializedString CANONICAL = new SerializedString("canonicalPosition");
  private static final SerializedString PUBLISH_TIME = new SerializedString("publishTimeNanos");
  private static final SerializedString PUBLISH_SOURCE = new SerializedString("publishTimeSource");
  private static final SerializedString FIRST_DELIVERY = new SerializedString("firstDeliveryNanos");
  private static final SerializedString REACHED = new SerializedString("reached");
  private static final SerializedString EXPECTED = new SerializedString("expected");
  private static final SerializedString DELIVERIES = new SerializedString("deliveries");
  private static final SerializedString NODE = new SerializedString("node");
  private static final SerializedString DELIVERED = new SerializedString("delivered");
  private static final SerializedString VIA = new SerializedString("via");
  private static final SerializedString ROUTE = new SerializedString("route");
  private static final SerializedString POSITION = new SerializedString("position");
  private static final SerializedString INDEX = new SerializedString("index");
  private static final SerializedString TIME = new SerializedString("timeNanos");
  private static final SerializedString DELAY = new SerializedString("delayNanos");
  private static final SerializedString NEGATIVE_DELAY = new SerializedString("negativeDelay");
  private static final SerializedString FORWARDER = new SerializedString("forwarder");
  private static final SerializedString DUPLICATES = new SerializedString("duplicates");

  /** Node ids, forwarders, topics, routes: few distinct values, each escaped once. */
  private final Map<String, SerializedString> escaped = new HashMap<>();

  private void string(SerializedString name, String value) throws IOException {
    gen.writeFieldName(name);
    if (value == null) {
      gen.writeNull();
    } else {
      gen.writeString(escaped.computeIfAbsent(value, SerializedString::new));
    }
  }

  private void number(SerializedString name, Long v) throws IOException {
    gen.writeFieldName(name);
    if (v == null) {
      gen.writeNull();
    } else {
      gen.writeNumber(v);
    }
  }

  private void number(SerializedString name, long v) throws IOException {
    gen.writeFieldName(name);
    gen.writeNumber(v);
  }

  private void bool(SerializedString name, boolean v) throws IOException {
    gen.writeFieldName(name);
    gen.writeBoolean(v);
  }

  private void message(ReplayReport.MessageRow m) throws IOException {
    gen.writeStartObject();
    gen.writeFieldName(KIND);
    gen.writeString(MESSAGE);
    gen.writeFieldName(MESSAGE_ID);
    gen.writeString(m.messageId());
    string(TOPIC, m.topic());
    string(ORIGIN, m.origin());
    number(ORIGIN_SEQNO, m.originSeqno());
    number(LAMPORT, m.lamport());
    number(FINAL_SEQ, m.finalSeq());
    number(CANONICAL, m.canonicalPosition());
    number(PUBLISH_TIME, m.publishTimeNanos());
    string(PUBLISH_SOURCE, m.publishTimeSource());
    number(FIRST_DELIVERY, m.firstDeliveryNanos());
    long reached = 0;
    long expected = 0;
    for (ReplayReport.Delivery d : m.deliveries()) {
      reached += d.delivered() ? 1 : 0;
      expected += d.expected() ? 1 : 0;
    }
    number(REACHED, reached);
    number(EXPECTED, expected);
    gen.writeFieldName(DELIVERIES);
    gen.writeStartArray();
    for (ReplayReport.Delivery d : m.deliveries()) {
      gen.writeStartObject();
      string(NODE, d.node());
      bool(EXPECTED, d.expected());
      bool(DELIVERED, d.delivered());
      string(VIA, d.via());
      string(ROUTE, d.route());
      number(POSITION, d.position() == null ? null : d.position().longValue());
      number(INDEX, d.index());
      number(TIME, d.timeNanos());
      number(DELAY, d.delayNanos());
      bool(NEGATIVE_DELAY, d.negativeDelay());
      string(FORWARDER, d.forwarder());
      number(DUPLICATES, d.duplicates());
      number(DELIVERIES, d.deliveries());
      gen.writeEndObject();
    }
    gen.writeEndArray();
    gen.writeEndObject();
    endLine();
  }

  private void anomaly(Anomaly a) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("kind", "anomaly");
    gen.writeStringField("type", a.type().label());
    gen.writeStringField("messageId", a.messageId());
    gen.writeStringField("topic", a.topic());
    gen.writeStringField("node", a.node());
    anomalyDetail(gen, a, a.type() == AnomalyType.ORDER_DIVERGENCE);
    gen.writeEndObject();
    endLine();
  }

  /**
   * The fields of an anomaly after its type and node, shared with {@code replay explain}: {@code
   * nodes} (when asked), {@code otherMessageId}, {@code cause}, {@code lateByNanos}, {@code
   * witnesses}.
   */
  static void anomalyDetail(JsonGenerator gen, Anomaly a, boolean withNodes) throws IOException {
    if (withNodes) {
      gen.writeArrayFieldStart("nodes");
      for (String n : a.nodes()) {
        gen.writeString(n);
      }
      gen.writeEndArray();
    }
    if (a.otherMessageId() != null) {
      gen.writeStringField("otherMessageId", a.otherMessageId());
    }
    if (a.cause() != null) {
      gen.writeStringField("cause", a.cause().label());
    }
    if (a.lateByNanos() != null) {
      gen.writeNumberField("lateByNanos", a.lateByNanos());
    }
    gen.writeArrayFieldStart("witnesses");
    for (Witness w : a.witnesses()) {
      gen.writeStartObject();
      gen.writeStringField("node", w.node());
      gen.writeNumberField("index", w.index());
      gen.writeStringField("type", w.type().name());
      gen.writeNumberField("timeNanos", w.timeNanos());
      gen.writeEndObject();
    }
    gen.writeEndArray();
  }

  private void summary(ReplayReport r, ReplayOptions options, long anomaliesShown)
      throws IOException {
    ReplayReport.Summary s = r.summary();
    gen.writeStartObject();
    gen.writeStringField("kind", "summary");
    gen.writeNumberField("nodes", s.nodes());
    gen.writeNumberField("messages", s.messages());
    gen.writeNumberField("deliveries", s.deliveries());
    gen.writeNumberField("duplicateReceipts", s.duplicateReceipts());
    gen.writeObjectFieldStart("anomalies");
    for (Map.Entry<AnomalyType, Long> e : s.anomalies().entrySet()) {
      gen.writeNumberField(e.getKey().label(), e.getValue());
    }
    gen.writeEndObject();
    gen.writeNumberField("anomaliesShown", anomaliesShown);
    gen.writeNumberField("negativeDelays", s.negativeDelays());
    gen.writeBooleanField("skewCorrection", s.skewCorrection());
    gen.writeNumberField("lateAfterNanos", options.lateAfterNanos());
    gen.writeArrayFieldStart("perNode");
    for (ReplayReport.NodeSummary n : r.nodes()) {
      gen.writeStartObject();
      gen.writeStringField("node", n.node());
      gen.writeStringField("dataDir", n.dataDir());
      gen.writeNumberField("events", n.events());
      number("firstTimeNanos", n.firstTimeNanos());
      number("lastTimeNanos", n.lastTimeNanos());
      gen.writeNumberField("runs", n.runs());
      gen.writeNumberField("offsetNanos", n.offsetNanos());
      number("offsetUncertaintyNanos", n.offsetUncertaintyNanos());
      gen.writeBooleanField("reference", n.reference());
      gen.writeNumberField("expected", n.expected());
      gen.writeNumberField("delivered", n.delivered());
      gen.writeNumberField("lost", n.lost());
      gen.writeNumberField("coverage", n.coverage());
      gen.writeNumberField("notJournaled", n.notJournaled());
      gen.writeEndObject();
    }
    gen.writeEndArray();
    gen.writeArrayFieldStart("topics");
    for (ReplayReport.TopicSummary t : s.topics()) {
      gen.writeStartObject();
      gen.writeStringField("topic", t.topic());
      gen.writeNumberField("messages", t.messages());
      gen.writeNumberField("delays", t.delays());
      number("p50Nanos", t.p50Nanos());
      number("p90Nanos", t.p90Nanos());
      number("p99Nanos", t.p99Nanos());
      number("maxNanos", t.maxNanos());
      gen.writeArrayFieldStart("reach");
      for (ReplayReport.ReachPoint p : t.reach()) {
        gen.writeStartObject();
        gen.writeNumberField("afterNanos", p.afterNanos());
        gen.writeNumberField("fraction", p.fraction());
        gen.writeEndObject();
      }
      gen.writeEndArray();
      gen.writeEndObject();
    }
    gen.writeEndArray();
    gen.writeArrayFieldStart("skipped");
    for (ReplayReport.Skipped k : r.skipped()) {
      gen.writeStartObject();
      gen.writeStringField("dataDir", k.dataDir());
      gen.writeStringField("reason", k.reason());
      gen.writeNumberField("eventsRead", k.eventsRead());
      gen.writeEndObject();
    }
    gen.writeEndArray();
    gen.writeEndObject();
    endLine();
  }

  private void number(String name, Long v) throws IOException {
    if (v == null) {
      gen.writeNullField(name);
    } else {
      gen.writeNumberField(name, v);
    }
  }
}
