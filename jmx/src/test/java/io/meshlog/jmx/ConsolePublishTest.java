package io.meshlog.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.testing.Await;
import io.meshlog.jmx.adapter.HostNodeView;
import io.meshlog.jmx.adapter.JournalEventLogView;
import io.meshlog.jmx.adapter.LiveMeshState;
import io.meshlog.jmx.view.MeshlogViews;
import io.meshlog.node.MeshlogNode;
import io.meshlog.node.NodeConfig;
import io.meshlog.node.p2p.HostConfig;
import io.meshlog.reconciliation.MessageEnvelope;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A message published from the Node MBean of a real node, as another real node receives it. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConsolePublishTest {
  private static final String TOPIC = "chat";
  private static final String[] TWO_STRINGS = {String.class.getName(), String.class.getName()};

  @TempDir Path dir;

  private final MBeanServer server = MBeanServerFactory.newMBeanServer();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private MeshlogNode start(Path dataDir, List<String> peers) {
    MeshlogNode node =
        MeshlogNode.start(
            NodeConfig.builder(dataDir)
                .host(HostConfig.builder().listenAddresses(List.of("/ip4/127.0.0.1/tcp/0")).build())
                .topics(List.of(TOPIC))
                .peers(peers)
                .dialBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .build());
    closeables.add(node);
    return node;
  }

  @Test
  void shouldPublishAConsoleMessageInALamportEnvelope() throws Exception {
    MeshlogNode a = start(dir.resolve("a"), List.of());
    MeshlogNode b = start(dir.resolve("b"), List.of(a.listenAddresses().get(0).toString()));
    List<MessageEnvelope> received = new CopyOnWriteArrayList<>();
    b.onMessage((topic, origin, envelope) -> received.add(envelope));
    JournalEventLogView eventLog = new JournalEventLogView(a.journal(), a::projections, null);
    MeshlogMBeans beans =
        MeshlogMBeans.register(
            server,
            MeshlogViews.none()
                .withNode(
                    new HostNodeView(
                        a, new LiveMeshState(), eventLog::health, Duration.ofSeconds(5))));
    closeables.add(beans::unregisterAll);
    Await.until(
        "!a.gossipsub().meshPeers(TOPIC).join().isEmpty()",
        () -> !a.gossipsub().meshPeers(TOPIC).join().isEmpty());

    Object id =
        server.invoke(
            MeshlogMBeans.NODE,
            "publishTestMessage",
            new Object[] {TOPIC, "hello from a console"},
            TWO_STRINGS);

    assertThat((String) id).isNotEmpty();
    Await.until("received.size() == 1", () -> received.size() == 1);
    MessageEnvelope got = received.get(0);
    assertThat(got.isEnveloped()).as("a Lamport envelope").isTrue();
    assertThat(got.lamport()).isEqualTo(1);
    assertThat(new String(got.payload(), StandardCharsets.UTF_8)).isEqualTo("hello from a console");
    assertThat(a.clock().current()).isEqualTo(1);
  }
}
