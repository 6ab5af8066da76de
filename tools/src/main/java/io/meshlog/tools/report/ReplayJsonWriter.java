package io.meshlog.tools.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.meshlog.reconciliation.replay.Anomaly;
import io.meshlog.reconciliation.replay.AnomalyType;
import io.meshlog.reconciliation.replay.ReplayOptions;
import io.meshlog.reconciliation.replay.ReplayReport;
import io.meshlog.reconciliation.replay.Witness;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
    write(r, options, maxAnomalies, out, Runtime.getRuntime().availableProcessors() > 1 ? 2 : 1);
  }

  /** As {@link #write}, encoding the message lines on {@code threads} threads (1 or 2). */
  static void write(
      ReplayReport r, ReplayOptions options, long maxAnomalies, PrintWriter out, int threads) {
    try {
      ReplayJsonWriter w = new ReplayJsonWriter(out);
      w.messages(r.messages(), threads);
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

  // The message lines are most of the output (one per message, an object per node in each): they
  // are built by hand in one buffer, keys as constants in the documented order, and the node ids,
  // topics and labels they repeat escaped once.
  private static final char[] MESSAGE_ID =
      JsonLineBuilder.key("{\"kind\":\"message\",\"messageId\":");
  private static final char[] TOPIC = JsonLineBuilder.key(",\"topic\":");
  private static final char[] ORIGIN = JsonLineBuilder.key(",\"origin\":");
  private static final char[] ORIGIN_SEQNO = JsonLineBuilder.key(",\"originSeqno\":");
  private static final char[] LAMPORT = JsonLineBuilder.key(",\"lamport\":");
  private static final char[] FINAL_SEQ = JsonLineBuilder.key(",\"finalSeq\":");
  private static final char[] CANONICAL = JsonLineBuilder.key(",\"canonicalPosition\":");
  private static final char[] PUBLISH_TIME = JsonLineBuilder.key(",\"publishTimeNanos\":");
  private static final char[] PUBLISH_SOURCE = JsonLineBuilder.key(",\"publishTimeSource\":");
  private static final char[] FIRST_DELIVERY = JsonLineBuilder.key(",\"firstDeliveryNanos\":");
  private static final char[] REACHED = JsonLineBuilder.key(",\"reached\":");
  private static final char[] EXPECTED_COUNT = JsonLineBuilder.key(",\"expected\":");
  private static final char[] DELIVERY_LIST = JsonLineBuilder.key(",\"deliveries\":[");
  private static final char[] NODE = JsonLineBuilder.key("{\"node\":");
  private static final char[] EXPECTED = JsonLineBuilder.key(",\"expected\":");
  private static final char[] DELIVERED = JsonLineBuilder.key(",\"delivered\":");
  private static final char[] VIA = JsonLineBuilder.key(",\"via\":");
  private static final char[] ROUTE = JsonLineBuilder.key(",\"route\":");
  private static final char[] POSITION = JsonLineBuilder.key(",\"position\":");
  private static final char[] INDEX = JsonLineBuilder.key(",\"index\":");
  private static final char[] TIME = JsonLineBuilder.key(",\"timeNanos\":");
  private static final char[] DELAY = JsonLineBuilder.key(",\"delayNanos\":");
  private static final char[] NEGATIVE_DELAY = JsonLineBuilder.key(",\"negativeDelay\":");
  private static final char[] FORWARDER = JsonLineBuilder.key(",\"forwarder\":");
  private static final char[] DUPLICATES = JsonLineBuilder.key(",\"duplicates\":");
  private static final char[] DELIVERY_COUNT = JsonLineBuilder.key(",\"deliveries\":");
  private static final char[] END_MESSAGE = JsonLineBuilder.key("]}");

  /** Message lines per chunk: each thread encodes a chunk into its buffer, written in order. */
  private static final int CHUNK = 256;

  private void messages(List<ReplayReport.MessageRow> rows, int threads) {
    JsonLineBuilder mine = new JsonLineBuilder();
    int chunks = (rows.size() + CHUNK - 1) / CHUNK;
    if (threads < 2 || chunks < 2) {
      for (int c = 0; c < chunks; c++) {
        encode(mine, rows, c).writeTo(out);
      }
      return;
    }
    // Two encoders, this thread on the even chunks and a worker on the odd ones; each buffer is
    // written, then reused, before its thread is given its next chunk.
    JsonLineBuilder theirs = new JsonLineBuilder();
    ExecutorService worker =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread t = new Thread(task, "meshlog-replay-json");
              t.setDaemon(true);
              return t;
            });
    try {
      for (int c = 0; c < chunks; c += 2) {
        int next = c + 1;
        Future<JsonLineBuilder> odd =
            next < chunks ? worker.submit(() -> encode(theirs, rows, next)) : null;
        encode(mine, rows, c).writeTo(out);
        if (odd != null) {
          await(odd).writeTo(out);
        }
      }
    } finally {
      worker.shutdownNow();
    }
  }

  private static JsonLineBuilder await(Future<JsonLineBuilder> chunk) {
    try {
      return chunk.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing the report", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static JsonLineBuilder encode(
      JsonLineBuilder line, List<ReplayReport.MessageRow> rows, int chunk) {
    int end = Math.min(rows.size(), (chunk + 1) * CHUNK);
    for (int i = chunk * CHUNK; i < end; i++) {
      message(line, rows.get(i));
    }
    return line;
  }

  private static void message(JsonLineBuilder line, ReplayReport.MessageRow m) {
    long reached = 0;
    long expected = 0;
    for (ReplayReport.Delivery d : m.deliveries()) {
      reached += d.delivered() ? 1 : 0;
      expected += d.expected() ? 1 : 0;
    }
    line.raw(MESSAGE_ID).string(m.messageId());
    line.raw(TOPIC).repeated(m.topic());
    line.raw(ORIGIN).repeated(m.origin());
    line.raw(ORIGIN_SEQNO).number(m.originSeqno());
    line.raw(LAMPORT).number(m.lamport());
    line.raw(FINAL_SEQ).number(m.finalSeq());
    line.raw(CANONICAL).number(m.canonicalPosition());
    line.raw(PUBLISH_TIME).number(m.publishTimeNanos());
    line.raw(PUBLISH_SOURCE).repeated(m.publishTimeSource());
    line.raw(FIRST_DELIVERY).number(m.firstDeliveryNanos());
    line.raw(REACHED).number(reached);
    line.raw(EXPECTED_COUNT).number(expected);
    line.raw(DELIVERY_LIST);
    boolean first = true;
    for (ReplayReport.Delivery d : m.deliveries()) {
      if (!first) {
        line.raw(',');
      }
      first = false;
      line.raw(NODE).repeated(d.node());
      line.raw(EXPECTED).bool(d.expected());
      line.raw(DELIVERED).bool(d.delivered());
      line.raw(VIA).repeated(d.via());
      line.raw(ROUTE).repeated(d.route());
      line.raw(POSITION).number(d.position());
      line.raw(INDEX).number(d.index());
      line.raw(TIME).number(d.timeNanos());
      line.raw(DELAY).number(d.delayNanos());
      line.raw(NEGATIVE_DELAY).bool(d.negativeDelay());
      line.raw(FORWARDER).repeated(d.forwarder());
      line.raw(DUPLICATES).number(d.duplicates());
      line.raw(DELIVERY_COUNT).number(d.deliveries()).raw('}');
    }
    line.raw(END_MESSAGE).endLine();
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
