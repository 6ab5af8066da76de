package io.meshlog.tools.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Base58;
import io.meshlog.eventlog.EventType;
import io.meshlog.reconciliation.replay.Anomaly;
import io.meshlog.reconciliation.replay.AnomalyType;
import io.meshlog.reconciliation.replay.Explanation;
import io.meshlog.reconciliation.replay.LostCause;
import io.meshlog.reconciliation.replay.ReplayOptions;
import io.meshlog.reconciliation.replay.ReplayReport;
import io.meshlog.reconciliation.replay.Witness;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code --html} page at the size the issue names (50 nodes × 10,000 messages, every message
 * delivered everywhere) and past its cap, loaded in a real headless chromium. Reports are built as
 * data here: what the page does with a report from real journals is in ReplayCommandTest.
 */
@Timeout(240)
class ReplayHtmlWriterTest {
  private static final long T0 = 1_763_750_000_000_000_000L;
  private static final long MS = 1_000_000L;

  @TempDir Path tmp;

  /**
   * A report of {@code nodes} nodes and {@code messages} messages on two topics: node 0 publishes,
   * the others receive along a chain (node n from node n-1, 1 ms a hop); node 1 loses every 100th
   * message and node 2 gets every 50th one 2 s late.
   */
  static ReplayReport report(int nodes, int messages, String topicName) {
    List<String> ids = new ArrayList<>();
    List<ReplayReport.NodeSummary> summaries = new ArrayList<>();
    for (int n = 0; n < nodes; n++) {
      byte[] id = new byte[38];
      id[1] = 36;
      id[2] = 8;
      id[3] = 1;
      id[4] = 18;
      id[5] = 32;
      for (int i = 6; i < id.length; i++) {
        id[i] = (byte) (n * 31 + i * 7);
      }
      ids.add(Base58.encode(id));
    }
    ids.sort(null);
    for (int n = 0; n < nodes; n++) {
      summaries.add(
          new ReplayReport.NodeSummary(
              ids.get(n),
              "/data/n" + n,
              messages * 3L,
              T0,
              T0 + messages * 10 * MS,
              1,
              n * 1000L,
              n == 0 ? null : 500L,
              n == 0,
              messages,
              messages,
              0,
              1.0,
              0));
    }
    List<ReplayReport.MessageRow> rows = new ArrayList<>();
    List<Anomaly> anomalies = new ArrayList<>();
    String[] topics = {topicName, "other"};
    for (int m = 0; m < messages; m++) {
      long pub = T0 + m * 10 * MS;
      String hex = String.format("%08x%08x", m * 2654435761L & 0xffffffffL, m);
      List<ReplayReport.Delivery> ds = new ArrayList<>();
      for (int n = 0; n < nodes; n++) {
        boolean lost = n == 1 && m % 100 == 0;
        long delay = n * MS + (n == 2 && m % 50 == 0 ? 2000 * MS : 0);
        ds.add(
            new ReplayReport.Delivery(
                ids.get(n),
                true,
                !lost,
                lost ? null : n == 0 ? "publish" : "deliver",
                lost ? null : n == 0 ? "publish" : "mesh",
                lost ? null : m / 2,
                lost ? null : (long) m * 3,
                lost ? null : pub + delay + n * 1000L,
                lost ? null : delay,
                false,
                lost || n == 0 ? null : ids.get(n - 1),
                n % 3,
                lost ? 0 : 1));
        if (lost) {
          anomalies.add(
              anomaly(AnomalyType.LOST, hex, topics[m % 2], ids.get(n), LostCause.DOWN, null));
        } else if (n == 2 && m % 50 == 0) {
          anomalies.add(anomaly(AnomalyType.LATE, hex, topics[m % 2], ids.get(n), null, 2002 * MS));
        }
      }
      rows.add(
          new ReplayReport.MessageRow(
              hex,
              topics[m % 2],
              ids.get(0),
              (long) m,
              (long) m,
              null,
              m / 2,
              pub,
              "journal",
              pub,
              ds));
    }
    Map<AnomalyType, Long> counts = new EnumMap<>(AnomalyType.class);
    for (AnomalyType t : AnomalyType.values()) {
      counts.put(t, anomalies.stream().filter(a -> a.type() == t).count());
    }
    List<ReplayReport.TopicSummary> topicSummaries = new ArrayList<>();
    for (String t : new String[] {topicName, "other"}) {
      topicSummaries.add(
          new ReplayReport.TopicSummary(
              t,
              messages / 2,
              messages / 2 * (nodes - 1),
              25 * MS,
              45 * MS,
              49 * MS,
              2002 * MS,
              List.of(
                  new ReplayReport.ReachPoint(0, 0.02),
                  new ReplayReport.ReachPoint(25 * MS, 0.5),
                  new ReplayReport.ReachPoint(49 * MS, 0.99),
                  new ReplayReport.ReachPoint(2002 * MS, 1.0))));
    }
    topicSummaries.sort((x, y) -> x.topic().compareTo(y.topic()));
    return new ReplayReport(
        summaries,
        rows,
        anomalies,
        new ReplayReport.Summary(
            nodes, messages, (long) messages * nodes, 0, counts, 0, true, topicSummaries),
        List.of());
  }

  private static Anomaly anomaly(
      AnomalyType type, String id, String topic, String node, LostCause cause, Long lateBy) {
    return new Anomaly(
        type,
        id,
        topic,
        node,
        List.of(),
        null,
        cause,
        lateBy,
        List.of(new Witness(node, 1, EventType.JOIN, T0)));
  }

  private Path write(ReplayReport r, String name) throws Exception {
    return write(r, Map.of(), name);
  }

  private Path write(ReplayReport r, Map<String, Explanation> explained, String name)
      throws Exception {
    Path page = tmp.resolve(name);
    try (Writer w = Files.newBufferedWriter(page, StandardCharsets.UTF_8)) {
      ReplayHtmlWriter.write(r, ReplayOptions.defaults(), explained, w);
    }
    return page;
  }

  /**
   * An explanation of row {@code m} as MessageExplain would give it, with every field filled as
   * long as real ones are: what the page embeds for a message a person clicks.
   */
  private static Explanation explanation(ReplayReport r, ReplayReport.MessageRow m) {
    List<Explanation.NodeStory> stories = new ArrayList<>();
    for (ReplayReport.Delivery d : m.deliveries()) {
      long t = d.timeNanos() == null ? m.firstDeliveryNanos() : d.timeNanos();
      Explanation.Receipt from = new Explanation.Receipt(m.origin(), 123_456_789_012L, t, t, null);
      stories.add(
          new Explanation.NodeStory(
              d.node(),
              "/var/lib/meshlog/node-" + d.node().substring(0, 8),
              true,
              d.delivered(),
              d.delivered() ? "accepted" : "not received",
              null,
              d.delivered() ? "deliver" : null,
              d.delivered() ? "iwant" : null,
              d.forwarder(),
              d.index(),
              d.timeNanos(),
              d.timeNanos(),
              d.delayNanos(),
              d.position(),
              d.deliveries(),
              d.delivered() ? from : null,
              List.of(from),
              8,
              from,
              List.of(),
              "reached "
                  + d.node().substring(0, 6)
                  + " via IWANT from its mesh peer 320 ms after publish; its mesh had pruned one"
                  + " peer at 12:03:04.120"));
    }
    return new Explanation(
        m.messageId(),
        m.topic(),
        m.origin(),
        m.originSeqno(),
        m.lamport(),
        m.finalSeq(),
        m.canonicalPosition(),
        m.publishTimeNanos(),
        m.publishTimeSource(),
        m.firstDeliveryNanos(),
        stories,
        List.of(new Explanation.Hop(null, m.origin(), "publish", m.firstDeliveryNanos(), null)),
        r.anomalies().stream().filter(a -> a.messageId().equals(m.messageId())).toList(),
        "why " + m.messageId() + ": late at the node that fared worst");
  }

  private static String attribute(String dom, String name) {
    Matcher m = Pattern.compile("<body[^>]* " + name + "=\"([^\"]*)\"").matcher(dom);
    return m.find() ? m.group(1) : null;
  }

  @Test
  void shouldRenderFiftyNodesAndTenThousandMessagesUnderTheSizeCap() throws Exception {
    ReplayReport r = report(50, 10_000, "chat");
    String lateId = r.messages().get(50).messageId();
    // the explain views of the messages replay --html picks, message 50's first
    Map<String, Explanation> explained = new java.util.LinkedHashMap<>();
    Map<String, ReplayReport.MessageRow> rows = new java.util.HashMap<>();
    r.messages().forEach(m -> rows.put(m.messageId(), m));
    explained.put(lateId, explanation(r, rows.get(lateId)));
    for (String id : ReplayHtmlWriter.explained(r)) {
      explained.put(id, explanation(r, rows.get(id)));
    }
    assertThat(explained).hasSizeGreaterThanOrEqualTo(ReplayHtmlWriter.MAX_EXPLAINED);
    Path page = write(r, explained, "big.html");

    assertThat(Files.size(page)).isLessThan(ReplayHtmlWriter.SIZE_CAP_BYTES);
    String data = ReplayHtmlWriter.data(r, ReplayOptions.defaults(), explained);
    long embedded = Pattern.compile("\\{\"kind\":\"explain\"").matcher(data).results().count();
    assertThat(embedded).as("explain views within the budget").isBetween(20L, 200L);
    String html = Files.readString(page);
    // nothing to fetch: no external script, style, image or link
    assertThat(html)
        .doesNotContain(" src=")
        .doesNotContain("<link")
        .doesNotContain("@import")
        .doesNotContain("url(")
        .doesNotContain("href=\"http");
    String dom = HeadlessChromium.dumpDom(page, "#m=" + lateId, tmp);

    assertThat(attribute(dom, "data-error")).as("script error").isNull();
    assertThat(attribute(dom, "data-ready")).isEqualTo("true");
    assertThat(attribute(dom, "data-lanes")).isEqualTo("50");
    // 100 lost at n2 and 200 late at n3, all listed, each with a link to its message
    assertThat(attribute(dom, "data-anomalies")).isEqualTo("300");
    assertThat(dom).contains("href=\"#m=" + lateId + "\"");
    // the window, not the whole run, is drawn: 200 messages of "chat" × 49 hops, less the two
    // hops of each of the 4 messages lost at n2 (none into n2, none out of it to n3)
    assertThat(attribute(dom, "data-window")).isEqualTo("200");
    assertThat(attribute(dom, "data-hops")).isEqualTo(String.valueOf(200 * 49 - 4 * 2));
    // the fragment opened message 50's explain view: all 50 arrivals, the late hop named
    assertThat(dom).contains("data-message=\"" + lateId + "\"");
    assertThat(Pattern.compile("class=\"arrival\"").matcher(dom).results().count()).isEqualTo(50);
    assertThat(dom).contains("late at n3").contains("the slowest hop was n2 → n3 (2.001 s)");
    // and its embedded explain view: the why, one story per node with its IHAVE and mesh
    assertThat(dom).contains("data-why=\"true\"").contains("why " + lateId);
    assertThat(Pattern.compile("class=\"story\"").matcher(dom).results().count()).isEqualTo(50);
    assertThat(dom).contains("via IWANT from its mesh peer 320 ms after publish");
    assertThat(Pattern.compile("class=\"cdf\"").matcher(dom).results().count()).isEqualTo(2);
  }

  @Test
  void shouldEmbedAtMostTheCapAndSaySo() throws Exception {
    ReplayReport r = report(3, ReplayHtmlWriter.MAX_MESSAGES + 500, "chat");
    String data = ReplayHtmlWriter.data(r, ReplayOptions.defaults());

    assertThat(data).contains("\"messagesTotal\":" + (ReplayHtmlWriter.MAX_MESSAGES + 500));
    String last = r.messages().get(ReplayHtmlWriter.MAX_MESSAGES - 1).messageId();
    String beyond = r.messages().get(ReplayHtmlWriter.MAX_MESSAGES).messageId();
    assertThat(data).contains("\"" + last + "\"").doesNotContain("\"" + beyond + "\"");
    String dom = HeadlessChromium.dumpDom(write(r, "capped.html"), "", tmp);
    assertThat(attribute(dom, "data-error")).isNull();
    assertThat(dom).contains("page holds the first " + ReplayHtmlWriter.MAX_MESSAGES + " messages");
  }

  @Test
  void shouldKeepATopicNamedLikeMarkupInsideTheData() throws Exception {
    ReplayReport r = report(3, 20, "</script><b id=\"injected\">x</b>");

    String dom = HeadlessChromium.dumpDom(write(r, "markup.html"), "", tmp);

    assertThat(attribute(dom, "data-error")).isNull();
    assertThat(attribute(dom, "data-ready")).isEqualTo("true");
    assertThat(dom).doesNotContain("<b id=\"injected\">");
    assertThat(dom).contains("&lt;/script&gt;&lt;b id=\"injected\"&gt;x&lt;/b&gt;");
  }
}
