package io.meshlog.tools.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlog.reconciliation.replay.AnomalyType;
import io.meshlog.reconciliation.replay.ReplayOptions;
import io.meshlog.reconciliation.replay.ReplayReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The message lines of {@code replay --format json} are written by hand for speed: each must be
 * exactly the line a JSON library writes for the same values, keys in the order docs/replay.md
 * lists them, strings that need escaping included.
 */
class ReplayJsonWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String NODE_A = "12D3KooWNodeA";
  private static final String NODE_B = "12D3KooWNodeB";

  private static ReplayReport.Delivery delivered(String node, String forwarder) {
    return new ReplayReport.Delivery(
        node,
        true,
        true,
        "deliver",
        "mesh",
        3,
        Long.MAX_VALUE,
        1_733_000_000_123_456_789L,
        -42L,
        true,
        forwarder,
        2,
        1);
  }

  private static ReplayReport.Delivery missing(String node) {
    return new ReplayReport.Delivery(
        node, true, false, null, null, null, null, null, null, false, null, 0, 0);
  }

  private static Map<String, Object> delivery(ReplayReport.Delivery d) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("node", d.node());
    o.put("expected", d.expected());
    o.put("delivered", d.delivered());
    o.put("via", d.via());
    o.put("route", d.route());
    o.put("position", d.position());
    o.put("index", d.index());
    o.put("timeNanos", d.timeNanos());
    o.put("delayNanos", d.delayNanos());
    o.put("negativeDelay", d.negativeDelay());
    o.put("forwarder", d.forwarder());
    o.put("duplicates", d.duplicates());
    o.put("deliveries", d.deliveries());
    return o;
  }

  /** The line as docs/replay.md describes it, written by Jackson's ObjectMapper. */
  private static String expectedLine(ReplayReport.MessageRow m) throws Exception {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("kind", "message");
    o.put("messageId", m.messageId());
    o.put("topic", m.topic());
    o.put("origin", m.origin());
    o.put("originSeqno", m.originSeqno());
    o.put("lamport", m.lamport());
    o.put("finalSeq", m.finalSeq());
    o.put("canonicalPosition", m.canonicalPosition());
    o.put("publishTimeNanos", m.publishTimeNanos());
    o.put("publishTimeSource", m.publishTimeSource());
    o.put("firstDeliveryNanos", m.firstDeliveryNanos());
    o.put("reached", m.deliveries().stream().filter(ReplayReport.Delivery::delivered).count());
    o.put("expected", m.deliveries().stream().filter(ReplayReport.Delivery::expected).count());
    List<Object> ds = new ArrayList<>();
    m.deliveries().forEach(d -> ds.add(delivery(d)));
    o.put("deliveries", ds);
    return JSON.writeValueAsString(o);
  }

  @Test
  void shouldWriteEachMessageLineExactlyAsAJsonLibraryWouldWithEscapesAndNulls() throws Exception {
    String oddTopic = "chat \"général\" \\ tab\there\nline\u0001\u001f/ü€😀";
    List<ReplayReport.MessageRow> rows =
        List.of(
            new ReplayReport.MessageRow(
                "0a1b2c",
                oddTopic,
                NODE_A,
                7L,
                Long.MIN_VALUE,
                null,
                0,
                -5L,
                "journal",
                0L,
                List.of(delivered(NODE_A, null), delivered(NODE_B, NODE_A))),
            new ReplayReport.MessageRow(
                "id with \"quote\"",
                oddTopic,
                null,
                null,
                null,
                12L,
                1,
                null,
                null,
                Long.MAX_VALUE,
                List.of(missing(NODE_A), delivered(NODE_B, "peer \"x\""))),
            new ReplayReport.MessageRow(
                "ff", "plain", NODE_B, 1L, 1L, 1L, 2, 1L, "envelope", 1L, List.of()));
    ReplayReport report = report(2, 4, rows);

    StringWriter text = new StringWriter();
    try (PrintWriter out = new PrintWriter(text)) {
      ReplayJsonWriter.write(report, ReplayOptions.defaults(), 10, out);
    }
    List<String> lines = text.toString().lines().toList();

    assertThat(lines).hasSize(rows.size() + 1);
    for (int i = 0; i < rows.size(); i++) {
      assertThat(lines.get(i)).as("message line %d", i).isEqualTo(expectedLine(rows.get(i)));
    }
    assertThat(JSON.readTree(lines.get(0)).get("topic").asText()).isEqualTo(oddTopic);
    assertThat(JSON.readTree(lines.get(rows.size())).get("kind").asText()).isEqualTo("summary");
  }

  @Test
  void shouldWriteTheSameLinesInTheSameOrderWhenTwoThreadsEncodeThem() throws Exception {
    List<ReplayReport.MessageRow> rows = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      rows.add(
          new ReplayReport.MessageRow(
              Integer.toHexString(i),
              "topic-" + (i % 3),
              NODE_A,
              (long) i,
              (long) i + 1,
              null,
              i,
              (long) i * 1_000,
              "journal",
              (long) i * 1_000,
              List.of(delivered(NODE_A, null), delivered(NODE_B, NODE_A), missing("n" + i))));
    }
    ReplayReport report = report(3, 0, rows);

    String one = written(report, 1);
    String two = written(report, 2);

    assertThat(two).isEqualTo(one);
    List<String> lines = two.lines().toList();
    assertThat(lines).hasSize(rows.size() + 1);
    for (int i = 0; i < rows.size(); i++) {
      assertThat(JSON.readTree(lines.get(i)).get("messageId").asText())
          .isEqualTo(Integer.toHexString(i));
    }
  }

  /** A report of {@code rows} alone: no node summaries, anomalies or skipped directories. */
  private static ReplayReport report(
      int nodes, long deliveries, List<ReplayReport.MessageRow> rows) {
    return new ReplayReport(
        List.of(),
        rows,
        List.of(),
        new ReplayReport.Summary(
            nodes,
            rows.size(),
            deliveries,
            0,
            new EnumMap<>(AnomalyType.class),
            0,
            false,
            List.of()),
        List.of());
  }

  private static String written(ReplayReport report, int threads) {
    StringWriter text = new StringWriter();
    try (PrintWriter out = new PrintWriter(text)) {
      ReplayJsonWriter.write(report, ReplayOptions.defaults(), 10, out, threads);
    }
    return text.toString();
  }
}
