package io.meshlog.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.testing.Await;
import io.meshlog.export.ExportCounter;
import io.meshlog.jmx.adapter.LiveMeshState;
import io.meshlog.jmx.adapter.NodeMeters;
import io.meshlog.jmx.adapter.NodeViews;
import io.meshlog.node.MeshlogNode;
import io.meshlog.node.NodeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes ship to a Kafka broker that is down (nothing listens on its port): an operator sees the
 * shipper fall behind, in JMX and in the Prometheus scrape, while the node goes on journaling.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExportLagMetersTest {
  private static final String TOPIC = "chat";
  private static final ObjectName LAG_EVENTS = meter("meshlog.export.lag.events");
  private static final ObjectName LAG_SECONDS = meter("meshlog.export.lag.seconds");

  @TempDir Path dir;

  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  @Test
  void shouldShowTheShippersLagInJmxAndPrometheusWhileTheBrokerIsDown() throws Exception {
    String deadBroker = "127.0.0.1:" + closedPort();
    MeshlogNode a = start(dir.resolve("a"), List.of(), deadBroker);
    MeshlogNode b = start(dir.resolve("b"), List.of(a.listenAddresses().get(0).toString()), null);
    JmxServerConfig config = JmxServerConfig.defaults().withPrometheus(0, JmxServerConfig.LOOPBACK);
    MeshlogJmx jmx =
        closing(
            MeshlogJmx.start(
                server, config, NodeViews.of(a, new LiveMeshState(), Duration.ofSeconds(10))));
    NodeMeters.bind(jmx.metrics(), a);
    Await.until("a mesh", () -> !a.gossipsub().meshPeers(TOPIC).get().isEmpty());
    for (int i = 0; i < 5; i++) {
      a.publish(TOPIC, ("unshipped " + i).getBytes(StandardCharsets.UTF_8)).get();
    }
    assertThat(b.peerId()).isNotEqualTo(a.peerId());

    Await.until("JMX shows the events not shipped", () -> value(LAG_EVENTS) >= 5);
    Await.until("JMX shows how far behind in journal time", () -> seconds(LAG_SECONDS) > 0);
    long events = value(LAG_EVENTS);
    assertThat(events)
        .as("every journaled event is behind: nothing was acknowledged")
        .isEqualTo(a.exportCounters().get(ExportCounter.LAG_EVENTS))
        .isGreaterThanOrEqualTo(5);
    assertThat(a.exportCounters().get(ExportCounter.SHIPPED_INDEX)).isEqualTo(-1);
    // The shipper keeps milliseconds; the meter shows seconds, Prometheus' base unit.
    long millis = a.exportCounters().get(ExportCounter.LAG_SECONDS);
    double seconds = seconds(LAG_SECONDS);
    assertThat(seconds).isGreaterThanOrEqualTo(millis / 1000.0);
    assertThat(seconds).isLessThan(millis / 1000.0 + 30);

    String scrape = jmx.metrics().scrape();
    assertThat(scrapeValue(scrape, "meshlog_export_lag_events")).isGreaterThanOrEqualTo(5);
    assertThat(scrapeValue(scrape, "meshlog_export_lag_seconds")).isPositive();

    // The node says it is degraded, and why, while its journal stays healthy.
    Await.until(
        "the node's health turns LAGGING",
        () -> "LAGGING".equals(server.getAttribute(MeshlogMBeans.NODE, "Health")));
    assertThat((String) server.getAttribute(MeshlogMBeans.NODE, "HealthReason"))
        .startsWith("Kafka sends failed")
        .endsWith("events wait in the journal");
    assertThat(server.getAttribute(MeshlogMBeans.EVENT_LOG, "Health")).isEqualTo("OK");
    assertThat(scrapeValue(jmx.metrics().scrape(), "meshlog_health_state")).isEqualTo(1);

    // It keeps growing with the journal while the broker stays down.
    for (int i = 0; i < 5; i++) {
      a.publish(TOPIC, ("more " + i).getBytes(StandardCharsets.UTF_8)).get();
    }
    Await.until("the lag grows", () -> value(LAG_EVENTS) >= events + 5);
  }

  private long value(ObjectName meter) throws Exception {
    return ((Number) server.getAttribute(meter, "Value")).longValue();
  }

  private double seconds(ObjectName meter) throws Exception {
    return ((Number) server.getAttribute(meter, "Value")).doubleValue();
  }

  private static double scrapeValue(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
    assertThat(m.find()).as("series %s in the scrape", series).isTrue();
    return Double.parseDouble(m.group(1));
  }

  private static ObjectName meter(String name) {
    try {
      return new ObjectName("io.meshlog:type=Metrics,name=" + name);
    } catch (javax.management.MalformedObjectNameException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A loopback port nothing listens on (it was free a moment ago): a broker that is down. */
  private static int closedPort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private MeshlogNode start(Path data, List<String> peers, String bootstrap) {
    Map<String, String> props = new HashMap<>();
    props.put("node.dataDir", data.toString());
    props.put("node.listen", "/ip4/127.0.0.1/tcp/0");
    props.put("node.topics", TOPIC);
    props.put("node.dial.backoffMin", "50ms");
    props.put("node.dial.backoffMax", "500ms");
    if (!peers.isEmpty()) {
      props.put("node.peers", String.join(",", peers));
    }
    if (bootstrap != null) {
      props.put("export.kafka.bootstrapServers", bootstrap);
      props.put("export.kafka.topic", "mesh");
      // Give up on each send soon, so that the node also stops soon.
      props.put("export.kafka.client.delivery.timeout.ms", "2000");
      props.put("export.kafka.client.request.timeout.ms", "1000");
      props.put("export.kafka.client.max.block.ms", "1000");
    }
    return closing(MeshlogNode.start(NodeConfig.fromProperties(props)));
  }

  private <T extends AutoCloseable> T closing(T c) {
    closeables.add(c);
    return c;
  }
}
