package io.meshlog.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.jmx.view.PeerInfo;
import io.meshlog.jmx.view.TopicInfo;
import io.meshlog.node.NodeConfig;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Label cardinality stays bounded whatever the peers do: over the cap, peers and topics are left
 * out of the labelled series and counted; a peer that has series keeps them while connected; a peer
 * gone leaves no stale series.
 */
class MeshSeriesCapTest {

  private static final Pattern PEER_SCORE =
      Pattern.compile("(?m)^meshlog_peer_score\\{peer=\"(p\\d+)\"}");

  private final FakeViews fake = new FakeViews();

  private static PeerInfo peer(String id, long messagesIn, double score) {
    return new PeerInfo(
        id,
        "inbound",
        "direct",
        "/ip4/127.0.0.1/tcp/1",
        -1,
        "loopback",
        "",
        score,
        List.of(),
        messagesIn,
        0,
        0,
        0,
        "");
  }

  private static List<String> scored(String scrape) {
    List<String> ids = new ArrayList<>();
    Matcher m = PEER_SCORE.matcher(scrape);
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids;
  }

  @Test
  void shouldLabelAtMostTheCappedPeersAndTopicsAndCountTheRest() {
    try (MeshlogMetrics metrics =
        MeshlogMetrics.start(
            ManagementFactory.getPlatformMBeanServer(), JmxServerConfig.defaults())) {
      metrics.serveMesh(fake.views(), 2, 1);
      fake.peers = List.of(peer("p1", 10, 1), peer("p2", 30, -5), peer("p3", 20, 7));
      fake.topics.put("b", TopicInfo.withoutLatency("b", true, 0, 4, -1, 0, 0));
      fake.topics.put("a", TopicInfo.withoutLatency("a", true, 3, 9, -1, 1, 0));

      String scrape = metrics.scrape();
      // The two busiest peers get series; every peer is in the aggregates.
      assertThat(scored(scrape)).containsExactlyInAnyOrder("p2", "p3");
      assertThat(scrape)
          .containsPattern("(?m)^meshlog_peer_series_omitted 1(\\.0)?$")
          // p1's 10 messages in, left out of the labelled counters, are in the aggregate
          .containsPattern("(?m)^meshlog_peers_omitted_messages_received 10(\\.0)?$")
          .containsPattern("(?m)^meshlog_peers_omitted_messages_sent 0(\\.0)?$")
          .containsPattern("(?m)^meshlog_peers_connected 3(\\.0)?$")
          .containsPattern("(?m)^meshlog_peers_score_min -5(\\.0)?$")
          .containsPattern("(?m)^meshlog_peers_score_median 1(\\.0)?$")
          .containsPattern("(?m)^meshlog_peers_score_max 7(\\.0)?$")
          .containsPattern("(?m)^meshlog_topic_mesh_peers\\{topic=\"a\"} 3(\\.0)?$")
          .containsPattern("(?m)^meshlog_topic_messages_total\\{topic=\"a\"} 9(\\.0)?$")
          .containsPattern("(?m)^meshlog_topics_omitted 1(\\.0)?$")
          .doesNotContain("topic=\"b\"");

      // p1 overtakes p3, but p3 keeps its series while it is connected.
      fake.peers = List.of(peer("p1", 100, 1), peer("p2", 30, -5), peer("p3", 20, 7));
      assertThat(scored(metrics.scrape())).containsExactlyInAnyOrder("p2", "p3");

      // p3 goes: its series go, and the free place goes to p1.
      fake.peers = List.of(peer("p1", 100, 1), peer("p2", 30, -5));
      String after = metrics.scrape();
      assertThat(scored(after)).containsExactlyInAnyOrder("p1", "p2");
      assertThat(after).doesNotContain("peer=\"p3\"");
    }
  }

  @Test
  void shouldTakeThePeerCapFromPrometheusMaxPeerSeriesAndRefuseABadOne() {
    JmxSettings.Draft consoles = new JmxSettings.Draft();
    NodeConfig.fromProperties(
        Map.of("node.dataDir", "/tmp/unused", "prometheus.maxPeerSeries", "1"),
        JmxSettings.table(),
        consoles);
    assertThat(consoles.config().prometheusMaxPeerSeries()).isEqualTo(1);
    // Checked once, by JmxServerConfig (the node command validates it before the node starts).
    assertThatThrownBy(() -> JmxServerConfig.defaults().withPrometheusMaxPeerSeries(-3).validate())
        .hasMessageContaining("prometheus.maxPeerSeries");
    assertThatThrownBy(
            () -> JmxServerConfig.defaults().withPrometheusMaxPeerSeries(10_001).validate())
        .hasMessageContaining("prometheus.maxPeerSeries");

    fake.peers = List.of(peer("p1", 10, 1), peer("p2", 30, -5));
    JmxServerConfig config = JmxServerConfig.defaults().withPrometheusMaxPeerSeries(1);
    try (MeshlogJmx jmx =
        MeshlogJmx.start(ManagementFactory.getPlatformMBeanServer(), config, fake.views())) {
      String scrape = jmx.metrics().scrape();
      assertThat(scored(scrape)).containsExactly("p2");
      assertThat(scrape).containsPattern("(?m)^meshlog_peer_series_omitted 1(\\.0)?$");
    }
  }
}
