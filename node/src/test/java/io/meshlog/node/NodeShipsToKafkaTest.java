package io.meshlog.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.metrics.CounterSet;
import io.meshlog.eventlog.testing.Await;
import io.meshlog.export.ExportConfig;
import io.meshlog.export.ExportCounter;
import io.meshlog.export.kafka.KafkaJournals;
import io.meshlog.export.testing.KafkaTestBroker;
import io.meshlog.export.testing.ShippedJournals;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gossiping nodes with {@code export.kafka.*} set ship their journals while they run; the
 * broker is killed and restarted in the middle; afterwards the topic holds every record of both
 * journals, once each as read back.
 */
@Timeout(480)
class NodeShipsToKafkaTest {
  private static final String TOPIC = "chat";

  @TempDir Path tmp;

  /**
   * Producer settings of the short run: a send to a dead broker fails after 3 s instead of 30 s, so
   * the shipper goes through fail, back off and resend within seconds.
   */
  private static final Map<String, String> FAST_FAILING =
      Map.of(
          "export.kafka.client.delivery.timeout.ms", "3000",
          "export.kafka.client.request.timeout.ms", "1000",
          "export.kafka.client.max.block.ms", "1000",
          "export.kafka.client.reconnect.backoff.max.ms", "200");

  private MeshlogNode start(
      Path dir, List<String> peers, String bootstrap, Map<String, String> client) {
    Map<String, String> props =
        new java.util.HashMap<>(
            Map.of(
                "node.dataDir", dir.toString(),
                "node.listen", "/ip4/127.0.0.1/tcp/0",
                "node.topics", TOPIC,
                "node.dial.backoffMin", "50ms",
                "node.dial.backoffMax", "500ms",
                "export.kafka.bootstrapServers", bootstrap,
                "export.kafka.topic", "mesh",
                "export.kafka.client.linger.ms", "1"));
    if (!peers.isEmpty()) {
      props.put("node.peers", String.join(",", peers));
    }
    props.putAll(client);
    return MeshlogNode.start(NodeConfig.fromProperties(props));
  }

  private static boolean caughtUp(MeshlogNode n) {
    CounterSet<ExportCounter> c = n.exportCounters();
    return c.get(ExportCounter.SHIPPED_INDEX) == n.journal().appendedIndex()
        && c.get(ExportCounter.LAG_EVENTS) == 0;
  }

  /** The fault run with the client's own timeouts (minutes): in the slow profile. */
  @Test
  @Tag("slow")
  void shouldShipWhileGossipingAndThroughABrokerRestart() throws Exception {
    shipThroughABrokerRestart(30, Map.of());
  }

  /** The same run, shorter: fewer messages, sends to a dead broker failing after 3 s. */
  @Test
  void shouldShowTheLagWhileTheBrokerIsDownAndCatchUpAfterItsRestart() throws Exception {
    shipThroughABrokerRestart(8, FAST_FAILING);
  }

  private void shipThroughABrokerRestart(int messages, Map<String, String> client)
      throws Exception {
    Path da = tmp.resolve("a");
    Path db = tmp.resolve("b");
    try (KafkaTestBroker broker = KafkaTestBroker.start(tmp.resolve("kafka"))) {
      broker.createTopic("mesh", 2);
      AtomicInteger received = new AtomicInteger();
      MeshlogNode a = start(da, List.of(), broker.bootstrap(), client);
      MeshlogNode b = null;
      try {
        b = start(db, List.of(a.listenAddresses().get(0).toString()), broker.bootstrap(), client);
        b.onMessage((topic, origin, envelope) -> received.incrementAndGet());
        MeshlogNode fa = a;
        Await.until("a mesh", () -> !fa.gossipsub().meshPeers(TOPIC).get().isEmpty());
        for (int i = 0; i < messages; i++) {
          a.publish(TOPIC, ("before " + i).getBytes(StandardCharsets.UTF_8)).get();
        }
        MeshlogNode fb = b;
        Await.until("b received the first messages", () -> received.get() == messages);
        Await.until("both shipped", () -> caughtUp(fa) && caughtUp(fb));
        assertThat(a.exportCounters().get(ExportCounter.EVENTS_SHIPPED)).isPositive();

        long journaledBeforeKill = a.journal().appendedIndex();
        broker.kill();
        for (int i = 0; i < messages; i++) {
          a.publish(TOPIC, ("while down " + i).getBytes(StandardCharsets.UTF_8)).get();
        }
        Await.until("b received the rest", () -> received.get() == 2 * messages);
        // b can have them before a's journal thread, waking from an idle park, has written them.
        Await.until(
            "a journaled what it published while the broker is down",
            () -> fa.journal().appendedIndex() > journaledBeforeKill);
        assertThat(caughtUp(a))
            .as("nothing can be acknowledged while the broker is down")
            .isFalse();
        // The lag gauges are refreshed every 250 ms, also while the shipper waits on the client.
        Await.until(
            "the lag shows the unshipped events",
            () -> a.exportCounters().get(ExportCounter.LAG_EVENTS) >= messages);
        Await.until(
            "the lag shows how far behind in journal time",
            () -> a.exportCounters().get(ExportCounter.LAG_SECONDS) > 0);
        long shippedWhileDown = a.exportCounters().get(ExportCounter.SHIPPED_INDEX);
        if (!client.isEmpty()) {
          // With the client's own settings an idempotent producer may hold its batches past the
          // delivery timeout while it has no broker to get a producer id from; with 3 s it fails.
          Await.until(
              "a send failed and the shipper backs off",
              () -> fa.exportCounters().get(ExportCounter.SEND_FAILURES) > 0);
        }
        assertThat(a.exportCounters().get(ExportCounter.LAG_EVENTS))
            .as("the lag stays visible while the shipper waits or retries")
            .isGreaterThanOrEqualTo(messages);
        assertThat(a.exportCounters().get(ExportCounter.SHIPPED_INDEX)).isEqualTo(shippedWhileDown);

        broker.start();
        Await.until(
            "both shipped after the restart",
            Duration.ofSeconds(120),
            () -> caughtUp(fa) && caughtUp(fb));
      } finally {
        if (b != null) {
          b.close();
        }
        a.close();
      }
      KafkaJournals.Result r =
          KafkaJournals.read(broker.bootstrap(), "mesh", Map.of(), tmp.resolve("replay"));
      assertThat(r.reindexed()).isZero();
      assertThat(r.dataDirs()).hasSize(2);
      assertThat(ShippedJournals.records(r.dataDirs().get(a.peerId().toBase58())))
          .containsExactlyElementsOf(ShippedJournals.records(da));
      assertThat(ShippedJournals.records(r.dataDirs().get(b.peerId().toBase58())))
          .containsExactlyElementsOf(ShippedJournals.records(db));
    }
  }

  @Test
  void shouldReadAndCheckExportSettingsByName() {
    NodeConfig c =
        NodeConfig.fromProperties(
            Map.of(
                "node.dataDir", tmp.toString(),
                "export.kafka.bootstrapServers", "127.0.0.1:9092",
                "export.kafka.format", "json",
                "export.kafka.client.security.protocol", "SSL"));
    assertThat(c.export().enabled()).isTrue();
    assertThat(c.export().format()).isEqualTo(ExportConfig.Format.JSON);
    assertThat(c.export().clientProperties()).containsEntry("security.protocol", "SSL");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                NodeConfig.fromProperties(
                    Map.of("node.dataDir", tmp.toString(), "export.kafka.format", "xml")))
        .hasMessageContaining("invalid export.kafka.format = xml");
  }
}
