package io.meshlog.jmx.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.Event;
import io.meshlog.eventlog.EventType;
import io.meshlog.eventlog.Journal;
import io.meshlog.eventlog.JournalReader;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.jmx.MeshlogMBeans;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator graphs first, over a busy real node: the scrape carries peers, scores, mesh
 * degree, message counts and delivery latency summaries per topic and peer, and every series the
 * Grafana dashboard and the alert rules in docs/ name; a connected peer has a Peer MBean whose
 * numbers move, and loses it when it goes; a topic's MBean shows its messages/s.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MeshSeriesTest {

  /** A metric name in a PromQL expression: meshlog's, or Prometheus's own {@code up}. */
  private static final Pattern NAME = Pattern.compile("\\b(meshlog_[a-z0-9_]+|up)\\b");

  private static final Pattern EXPR =
      Pattern.compile("\"expr\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

  @TempDir Path dir;

  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

  @Test
  void shouldScrapePeersTopicsMeshDegreeAndLatenciesOfABusyNode() throws Exception {
    try (BusyMesh mesh = new BusyMesh(dir).awaitTraffic()) {
      String b = mesh.b.peerId().toBase58();
      Await.until(
          "latency quantiles for chat and for b",
          () ->
              mesh.scrape()
                      .contains(
                          "meshlog_topic_delivery_latency_seconds{topic=\"chat\",quantile=\"0.5\"}")
                  && mesh.scrape()
                      .contains(
                          "meshlog_peer_delivery_latency_seconds{peer=\""
                              + b
                              + "\",quantile=\"0.99\"}"));
      String scrape = mesh.scrape();
      assertThat(scrape)
          .containsPattern("(?m)^meshlog_peers_connected 1(\\.0)?$")
          .containsPattern("(?m)^meshlog_topic_mesh_peers\\{topic=\"chat\"} 1(\\.0)?$")
          .containsPattern("(?m)^meshlog_topic_subscribed\\{topic=\"chat\"} 1(\\.0)?$")
          .containsPattern("(?m)^meshlog_topic_messages_total\\{topic=\"chat\"} [1-9]")
          .containsPattern("(?m)^meshlog_topic_bytes_total\\{topic=\"chat\"} [1-9]")
          .containsPattern(
              "(?m)^meshlog_topic_delivery_latency_seconds_count\\{topic=\"chat\"} [1-9]")
          .containsPattern("(?m)^meshlog_peer_score\\{peer=\"" + b + "\"} ")
          .containsPattern("(?m)^meshlog_peer_messages_received_total\\{peer=\"" + b + "\"} [1-9]")
          .containsPattern("(?m)^meshlog_peer_received_bytes_total\\{peer=\"" + b + "\"} [1-9]")
          .containsPattern("(?m)^meshlog_peer_duplicate_messages_total\\{peer=\"" + b + "\"} \\d")
          .containsPattern("(?m)^meshlog_peer_series_omitted 0(\\.0)?$")
          .containsPattern("(?m)^meshlog_health_state [0-2]")
          .containsPattern("(?m)^meshlog_journal_disk_free_bytes [1-9]")
          .containsPattern("(?m)^meshlog_gossip_rpcs_received_total [1-9]")
          // No directory: chat's messages stay provisional.
          .containsPattern("(?m)^meshlog_topic_unconfirmed_messages\\{topic=\"chat\"} [1-9]")
          .containsPattern("(?m)^meshlog_topic_oldest_unconfirmed_age_seconds\\{topic=\"chat\"} ")
          .containsPattern("(?m)^meshlog_topic_reorders_total\\{topic=\"chat\"} 0(\\.0)?$");
      // Latencies on loopback in seconds: well under a second, never the ns figure.
      Matcher p50 =
          Pattern.compile(
                  "(?m)^meshlog_topic_delivery_latency_seconds\\{topic=\"chat\",quantile=\"0.5\"} (\\S+)$")
              .matcher(scrape);
      assertThat(p50.find()).isTrue();
      assertThat(Double.parseDouble(p50.group(1))).isGreaterThan(0).isLessThan(1);

      Set<String> exported = exported(scrape);
      for (Path file :
          new Path[] {docs("grafana", "meshlog.json"), docs("prometheus", "meshlog-alerts.yml")}) {
        Set<String> named = namedIn(file);
        assertThat(named).as("series named in %s", file).isNotEmpty();
        for (String name : named) {
          if (!name.equals("up")) {
            assertThat(exported).as("%s names %s", file, name).contains(name);
          }
        }
      }
    }
  }

  @Test
  void shouldRegisterAChartablePeerMBeanWhileThePeerIsConnectedAndShowTopicRates()
      throws Exception {
    try (BusyMesh mesh = new BusyMesh(dir).awaitTraffic()) {
      ObjectName b = MeshlogMBeans.peerName(mesh.b.peerId().toBase58(), null);
      Await.until("b's Peer MBean", () -> server.isRegistered(b));
      Await.until(
          "messages from b counted and their rate taken",
          () ->
              ((Number) server.getAttribute(b, "MessagesIn")).longValue() > 0
                  && ((Number) server.getAttribute(b, "MessagesInPerSecond")).doubleValue() > 0);
      Await.until(
          "a delivery latency from b",
          () -> ((Number) server.getAttribute(b, "DeliveryLatencyP50Millis")).doubleValue() > 0);
      for (String numeric :
          new String[] {
            "RttMillis",
            "Score",
            "MessagesIn",
            "MessagesOut",
            "BytesIn",
            "BytesOut",
            "Duplicates",
            "FailureStreak",
            "MessagesInPerSecond",
            "MessagesOutPerSecond",
            "BytesInPerSecond",
            "BytesOutPerSecond",
            "DeliveryLatencyP50Millis",
            "DeliveryLatencyP99Millis",
            "DeliveryLatencyMaxMillis",
            "Deliveries"
          }) {
        assertThat(server.getAttribute(b, numeric)).as(numeric).isInstanceOf(Number.class);
      }
      assertThat(server.getAttribute(b, "Direction")).isEqualTo("inbound");
      // One Peer MBean per connected peer, no more: a's only connection is b.
      assertThat(server.queryNames(new ObjectName("io.meshlog:type=Peer,*"), null))
          .containsExactly(b);
      assertThat(server.getAttribute(MeshlogMBeans.PEERS, "PeerCount")).isEqualTo(1);
      ObjectName chat = MeshlogMBeans.topicName(BusyMesh.TOPIC);
      Await.until(
          "chat's messages/s on its Topic MBean",
          () -> ((Number) server.getAttribute(chat, "MessagesPerSecond")).doubleValue() > 0);
      Await.until(
          "chat's bytes and bytes/s on its Topic MBean",
          () ->
              ((Number) server.getAttribute(chat, "Bytes")).longValue() > 0
                  && ((Number) server.getAttribute(chat, "BytesPerSecond")).doubleValue() > 0);
      // a plain string, so JConsole shows it in the table rather than as String[1]
      assertThat(server.getAttribute(b, "Topics")).isEqualTo(BusyMesh.TOPIC);
      // No directory: every chat message stays provisional, and the Topic MBean says so.
      Await.until(
          "chat's provisional messages on its Topic MBean",
          () -> ((Number) server.getAttribute(chat, "Unconfirmed")).longValue() > 0);
      long unconfirmed = ((Number) server.getAttribute(chat, "Unconfirmed")).longValue();
      assertThat(unconfirmed)
          .as("at most what the node's order holds, read just after")
          .isLessThanOrEqualTo(mesh.a.order(BusyMesh.TOPIC).size());
      assertThat(server.getAttribute(chat, "LastFinalSeq")).isEqualTo(-1L);
      assertThat(server.getAttribute(chat, "Epoch")).isEqualTo(-1L);
      assertThat(server.getAttribute(chat, "Reorders")).isEqualTo(0L);
      assertThat(((Number) server.getAttribute(chat, "OldestUnconfirmedAgeSeconds")).doubleValue())
          .as("the oldest provisional message is as old as the mesh at most")
          .isBetween(0.0, 120.0);

      mesh.b.close();
      Await.until("b's Peer MBean gone after it disconnected", () -> !server.isRegistered(b));
    }
  }

  /**
   * The Topic MBean's latency percentiles, from the projections' HdrHistogram, equal the exact ones
   * computed from the node's own journal on disk (DELIVER time minus the publisher's time in the
   * envelope, nearest rank) to within 1%: what an operator reads is a measurement, not a bucket
   * edge.
   */
  @Test
  void shouldShowTopicLatencyPercentilesEqualToTheJournalsDeliveryTimesWithinOnePercent()
      throws Exception {
    try (BusyMesh mesh = new BusyMesh(dir).awaitTraffic()) {
      Await.until(
          "100 deliveries with a latency at a",
          () ->
              mesh.a
                  .projections()
                  .topic(BusyMesh.TOPIC)
                  .map(t -> t.latency() != null && t.latency().total() >= 100)
                  .orElse(false));
      mesh.b.close(); // no more deliveries at a: its journal and projections can settle
      long[][] exact = new long[1][];
      Await.until(
          "a's projections applied every delivery its journal holds",
          () -> {
            exact[0] = deliveryLatencies(mesh.a.journal());
            return mesh.a
                .projections()
                .topic(BusyMesh.TOPIC)
                .map(t -> t.latency().total() == exact[0].length)
                .orElse(false);
          });
      ObjectName chat = MeshlogMBeans.topicName(BusyMesh.TOPIC);
      String[][] attributes = {
        {"DeliveryLatencyP50Millis", "50"},
        {"DeliveryLatencyP90Millis", "90"},
        {"DeliveryLatencyP99Millis", "99"},
        {"DeliveryLatencyP999Millis", "99.9"},
        {"DeliveryLatencyMaxMillis", "100"}
      };
      for (String[] a : attributes) {
        double want = nearestRank(exact[0], Double.parseDouble(a[1])) / 1e6;
        double got = ((Number) server.getAttribute(chat, a[0])).doubleValue();
        assertThat(got)
            .as("%s: exact %s ms from the journal, over %d deliveries", a[0], want, exact[0].length)
            .isCloseTo(want, Offset.offset(want / 100 + 1e-6));
      }
    }
  }

  /** The latencies of the node's DELIVER events on the busy topic, in ns, sorted. */
  private static long[] deliveryLatencies(Journal journal) {
    List<Long> out = new java.util.ArrayList<>();
    try (JournalReader r = journal.reader()) {
      Event e = new Event();
      while (r.next(e.clear()) >= 0) {
        if (e.type() == EventType.DELIVER_MESSAGE
            && BusyMesh.TOPIC.equals(e.topic())
            && e.value() != Event.ABSENT
            && e.timeNanos() - e.value() >= 0) {
          out.add(e.timeNanos() - e.value());
        }
      }
    }
    return out.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  /** The smallest sample that at least {@code p}% of the samples do not exceed. */
  private static long nearestRank(long[] sorted, double p) {
    int rank = (int) Math.max(1, Math.ceil(p / 100 * sorted.length));
    return sorted[rank - 1];
  }

  private static Path docs(String folder, String file) {
    return Paths.get("..", "docs", folder, file);
  }

  /** Metric names as the scrape has them, with a summary's {@code _count} and {@code _sum}. */
  static Set<String> exported(String scrape) {
    Set<String> names = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        names.add(line.split("[ {]", 2)[0]);
      }
    }
    return names;
  }

  /** Every metric name the PromQL expressions of a dashboard (JSON) or rules (YAML) file name. */
  static Set<String> namedIn(Path file) throws IOException {
    Set<String> names = new TreeSet<>();
    for (String expr : expressions(file)) {
      Matcher m = NAME.matcher(expr);
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /** The PromQL expressions of a dashboard's targets or of a rules file's rules. */
  static List<String> expressions(Path file) throws IOException {
    String text = Files.readString(file);
    List<String> out = new java.util.ArrayList<>();
    if (file.toString().endsWith(".json")) {
      Matcher m = EXPR.matcher(text);
      while (m.find()) {
        out.add(m.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
      }
    } else {
      for (String line : text.split("\n")) {
        String t = line.trim();
        if (t.startsWith("expr:")) {
          out.add(t.substring("expr:".length()).trim());
        }
      }
    }
    return out;
  }
}
