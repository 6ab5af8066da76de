package io.meshlog.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.eventlog.JournalConfig;
import io.meshlog.eventlog.config.Setting;
import io.meshlog.eventlog.config.SettingsTable;
import io.meshlog.node.gossipsub.GossipsubConfig;
import io.meshlog.node.gossipsub.PeerScoreThresholds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class NodeConfigTest {

  @TempDir Path tmp;

  private final Map<String, String> props = new HashMap<>();

  private NodeConfig parse() {
    props.putIfAbsent("node.dataDir", tmp.toString());
    return NodeConfig.fromProperties(props);
  }

  @Test
  void shouldApplyDocumentedDefaults() {
    NodeConfig c = parse();
    assertThat(c.host().listenAddresses()).containsExactly(NodeConfig.DEFAULT_LISTEN);
    assertThat(c.peers()).isEmpty();
    assertThat(c.dialBackoffMin()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.dialBackoffMax()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.gossipsub().d()).isEqualTo(4);
    assertThat(c.journal().dir()).isEqualTo(tmp.resolve("journal"));
    assertThat(c.journal().ringSize()).isEqualTo(JournalConfig.DEFAULT_RING_SIZE);
    assertThat(c.identityFile()).isEqualTo(tmp.resolve("identity.key"));
  }

  @Test
  void shouldReadEveryPart() throws Exception {
    Path file = tmp.resolve("node.properties");
    Files.writeString(
        file,
        String.join(
            "\n",
            "# a node",
            "node.dataDir = " + tmp,
            "node.listen = /ip4/127.0.0.1/tcp/4001, /ip4/127.0.0.1/tcp/4002",
            "node.topics = lobby,dev",
            "node.dial.backoffMax = 5m",
            "host.pingInterval = PT30S",
            "gossipsub.d = 6",
            "gossipsub.dLo = 4",
            "gossipsub.dHi = 12",
            "gossipsub.heartbeatInterval = 700ms",
            "gossipsub.threshold.graylist = -90",
            "gossipsub.score.invalidMessageDeliveriesWeight = -50",
            "journal.ringSize = 1024",
            "journal.rollCycle = FAST_DAILY",
            "projections.syncMode = EVERY_BATCH"));
    props.putAll(NodeConfig.readFile(file));
    NodeConfig c = parse();

    assertThat(c.host().listenAddresses()).hasSize(2);
    assertThat(c.topics()).containsExactly("lobby", "dev");
    assertThat(c.dialBackoffMax()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.host().pingInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(List.of(c.gossipsub().d(), c.gossipsub().dLo(), c.gossipsub().dHi()))
        .containsExactly(6, 4, 12);
    assertThat(c.gossipsub().heartbeatInterval()).isEqualTo(Duration.ofMillis(700));
    assertThat(c.gossipsub().thresholds().graylistThreshold()).isEqualTo(-90);
    assertThat(c.gossipsub().scoreParams().defaultTopic().invalidMessageDeliveriesWeight())
        .isEqualTo(-50);
    assertThat(c.journal().ringSize()).isEqualTo(1024);
    assertThat(c.journal().rollCycle()).isEqualTo(JournalConfig.RollCycle.FAST_DAILY);
    assertThat(c.projections().syncMode().name()).isEqualTo("EVERY_BATCH");
  }

  @Test
  void shouldAcceptDocumentedGossipsubBackoff() {
    props.put("gossipsub.pruneBackoff", "30s");
    props.put("gossipsub.unsubscribeBackoff", "PT5S");
    NodeConfig c = parse();
    assertThat(c.gossipsub().pruneBackoff()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.gossipsub().unsubscribeBackoff()).isEqualTo(Duration.ofSeconds(5));
  }

  /** What runs beside the node reads its own keys in the node's parse, and only there. */
  @Test
  void shouldReadAnotherPartsKeysInTheSameParseAndNoWhereElse() {
    SettingsTable<StringBuilder> consoles =
        SettingsTable.of(
            List.of(
                Setting.<StringBuilder>of(
                    "jmx.port", "int", "-1", "a console port", (b, v) -> b.append(v))));
    props.put("jmx.port", "9010");
    props.put("gossipsub.d", "6");
    props.put("node.dataDir", tmp.toString());
    StringBuilder seen = new StringBuilder();
    NodeConfig c = NodeConfig.fromProperties(props, consoles, seen);
    assertThat(seen.toString()).isEqualTo("9010");
    assertThat(c.gossipsub().d()).isEqualTo(6);
    assertBad("jmx.port", "9010", "unknown", "jmx.port");
    props.remove("jmx.port");
    props.put("jmx.prot", "9010");
    assertThatThrownBy(() -> NodeConfig.fromProperties(props, consoles, new StringBuilder()))
        .hasMessageContaining("jmx.prot")
        .hasMessageContaining("jmx.port");
  }

  @Test
  void shouldReadHowTheLogRollsAndRefuseARollingThatCannotWork() {
    assertThat(parse().log()).isEqualTo(LogConfig.DEFAULTS);
    assertThat(LogConfig.DEFAULTS)
        .isEqualTo(new LogConfig(50L << 20, 14, 500L << 20)); // as docs/node.md says
    props.put("log.maxFileSize", "10m");
    props.put("log.maxHistory", "90");
    props.put("log.totalSizeCap", "2g");
    assertThat(parse().log()).isEqualTo(new LogConfig(10L << 20, 90, 2L << 30));

    assertBad("log.maxFileSize", "1k", "log.maxFileSize", "1024", "at least 64k");
    assertBad("log.maxFileSize", "lots", "log.maxFileSize", "lots");
    assertBad("log.maxHistory", "0", "log.maxHistory", "1..3650");
    assertBad("log.totalSizeCap", "1m", "log.totalSizeCap", "at least log.maxFileSize");
  }

  @Test
  void shouldRejectUnknownKeysByName() {
    props.put("gossipsub.D", "5");
    props.put("node.peer", "x");
    assertThatThrownBy(this::parse)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gossipsub.D")
        .hasMessageContaining("node.peer");
  }

  @Test
  void shouldNameTheBadKeyAndValue() {
    assertBad("gossipsub.d", "six", "gossipsub.d", "six");
    assertBad("node.dial.backoffMin", "5 parsecs", "node.dial.backoffMin", "5 parsecs");
    assertBad("journal.ringSize", "1000", "journal.ringSize", "1000");
    assertBad("node.peers", "/ip4/127.0.0.1/tcp/1", "node.peers", "/p2p/");
    assertBad("node.listen", "/dns4/nowhere", "node.listen", "/dns4/nowhere");
    assertBad("discovery.trustedPeerScore", "-1", "discovery.trustedPeerScore", "-1", ">= 0");
  }

  private void assertBad(String key, String value, String... named) {
    props.clear();
    props.put(key, value);
    assertThatThrownBy(this::parse)
        .isInstanceOf(IllegalArgumentException.class)
        .message()
        .contains(named);
  }

  @Test
  void shouldRejectAThresholdAboveTheOneBeforeIt() {
    props.put("gossipsub.threshold.publish", "-5");
    assertThatThrownBy(this::parse)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "invalid gossipsub.threshold.publish = -5.0: must be a finite number <= gossip=-10.0");
  }

  @Test
  void shouldRejectAnInfiniteThresholdFromTheBuilder() {
    assertThatThrownBy(
            () ->
                GossipsubConfig.builder()
                    .thresholds(new PeerScoreThresholds(-10, -50, Double.NEGATIVE_INFINITY, 10, 3))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gossipsub.threshold.graylist");
  }
}
