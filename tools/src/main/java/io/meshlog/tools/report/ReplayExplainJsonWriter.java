package io.meshlog.tools.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.meshlog.reconciliation.replay.Anomaly;
import io.meshlog.reconciliation.replay.Explanation;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * {@code meshlog replay explain --format json}: one line, one {@code {"kind":"explain",...}}
 * object. Keys are written in a fixed order; docs/replay.md lists them all.
 */
public final class ReplayExplainJsonWriter {
  private static final JsonFactory JSON = new JsonFactory();

  private final JsonGenerator gen;

  private ReplayExplainJsonWriter(JsonGenerator gen) {
    this.gen = gen;
  }

  public static void write(Explanation x, PrintWriter out) {
    try {
      JsonGenerator g = JSON.createGenerator(out);
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      new ReplayExplainJsonWriter(g).explanation(x);
      g.flush();
      out.println();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code x} as the next value of {@code g}: the object a line of the command holds. */
  static void write(Explanation x, JsonGenerator g) throws IOException {
    new ReplayExplainJsonWriter(g).explanation(x);
  }

  private void explanation(Explanation x) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("kind", "explain");
    gen.writeStringField("messageId", x.messageId());
    gen.writeStringField("topic", x.topic());
    gen.writeStringField("origin", x.origin());
    number("originSeqno", x.originSeqno());
    number("lamport", x.lamport());
    number("finalSeq", x.finalSeq());
    gen.writeNumberField("canonicalPosition", x.canonicalPosition());
    number("publishTimeNanos", x.publishTimeNanos());
    gen.writeStringField("publishTimeSource", x.publishTimeSource());
    gen.writeNumberField("firstDeliveryNanos", x.firstDeliveryNanos());
    gen.writeStringField("why", x.why());
    gen.writeArrayFieldStart("nodes");
    for (Explanation.NodeStory s : x.nodes()) {
      node(s);
    }
    gen.writeEndArray();
    gen.writeArrayFieldStart("criticalPath");
    for (Explanation.Hop h : x.criticalPath()) {
      gen.writeStartObject();
      gen.writeStringField("forwarder", h.from());
      gen.writeStringField("node", h.to());
      gen.writeStringField("route", h.route());
      gen.writeNumberField("timeNanos", h.timeNanos());
      number("hopNanos", h.hopNanos());
      gen.writeEndObject();
    }
    gen.writeEndArray();
    gen.writeArrayFieldStart("anomalies");
    for (Anomaly a : x.anomalies()) {
      gen.writeStartObject();
      gen.writeStringField("type", a.type().label());
      gen.writeStringField("node", a.node());
      ReplayJsonWriter.anomalyDetail(gen, a, a.nodes().size() > 1);
      gen.writeEndObject();
    }
    gen.writeEndArray();
    gen.writeEndObject();
  }

  private void node(Explanation.NodeStory s) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("node", s.node());
    gen.writeStringField("dataDir", s.dataDir());
    gen.writeBooleanField("expected", s.expected());
    gen.writeBooleanField("delivered", s.delivered());
    gen.writeStringField("verdict", s.verdict());
    gen.writeStringField("rejectReason", s.rejectReason());
    gen.writeStringField("via", s.via());
    gen.writeStringField("route", s.route());
    gen.writeStringField("forwarder", s.forwarder());
    number("index", s.index());
    number("journalTimeNanos", s.journalTimeNanos());
    number("timeNanos", s.timeNanos());
    number("delayNanos", s.delayNanos());
    number("position", s.position() == null ? null : s.position().longValue());
    gen.writeNumberField("deliveries", s.deliveries());
    receipt("ihave", s.ihave());
    gen.writeArrayFieldStart("duplicates");
    for (Explanation.Receipt r : s.duplicates()) {
      receiptValue(r);
    }
    gen.writeEndArray();
    number("meshPeers", s.meshPeers() == null ? null : s.meshPeers().longValue());
    receipt("lastPrune", s.lastPrune());
    gen.writeArrayFieldStart("anomalies");
    for (String a : s.anomalies()) {
      gen.writeString(a);
    }
    gen.writeEndArray();
    gen.writeStringField("story", s.story());
    gen.writeEndObject();
  }

  private void receipt(String name, Explanation.Receipt r) throws IOException {
    gen.writeFieldName(name);
    if (r == null) {
      gen.writeNull();
    } else {
      receiptValue(r);
    }
  }

  private void receiptValue(Explanation.Receipt r) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("peer", r.peer());
    gen.writeNumberField("index", r.index());
    gen.writeNumberField("journalTimeNanos", r.journalTimeNanos());
    gen.writeNumberField("timeNanos", r.timeNanos());
    if (r.text() != null) {
      gen.writeStringField("text", r.text());
    }
    gen.writeEndObject();
  }

  private void number(String name, Long v) throws IOException {
    if (v == null) {
      gen.writeNullField(name);
    } else {
      gen.writeNumberField(name, v);
    }
  }
}
