package io.meshlog.jmx.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.testing.Await;
import io.meshlog.jmx.JmxServer;
import io.meshlog.jmx.JmxTestSupport;
import io.meshlog.jmx.MeshlogMBeans;
import io.meshlog.jmx.MeshlogNotifications;
import io.meshlog.jmx.view.Health;
import io.meshlog.jmx.view.MeshlogViews;
import io.meshlog.node.MeshlogNode;
import io.meshlog.node.NodeConfig;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Graylisting is never silent: a real node that scores IP colocation on 127.0.0.1 graylists the two
 * real nodes that dial it from there, and a remote console sees each in the Peers table with since
 * when and why, and gets one notification per peer.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GraylistBeansTest {

  private static final String NODE_NAME = "graylist-test";
  private static final Pattern GRAYLISTED =
      Pattern.compile("since (\\S+), score (-[0-9,]+) = P6 -100( \\+ .*)?");

  @TempDir Path dir;

  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private final ObjectName nodeName = MeshlogMBeans.objectName("Node", NODE_NAME);
  private final ObjectName peersName = MeshlogMBeans.objectName("Peers", NODE_NAME);
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closing(T c) {
    closeables.add(c);
    return c;
  }

  private MeshlogNode start(String name, Map<String, String> extra) {
    Map<String, String> p = new HashMap<>();
    p.put("node.dataDir", dir.resolve(name).toString());
    p.put("node.listen", "/ip4/127.0.0.1/tcp/0");
    p.put("node.topics", "chat");
    p.putAll(extra);
    return closing(MeshlogNode.start(NodeConfig.fromProperties(p)));
  }

  @Test
  void shouldShowAndNotifyEveryGraylistedPeerWithTheTermThatCausedIt() throws Exception {
    // Two peers on one address with P6 from the first one on (threshold 1, loopback not allowed):
    // each scores (2 - 1)^2 * -100 = -100, below the graylist threshold of -80.
    MeshlogNode watched =
        start(
            "watched",
            Map.of(
                "gossipsub.score.ipColocationFactorWeight", "-100",
                "gossipsub.score.ipColocationFactorThreshold", "1",
                "gossipsub.score.ipColocationFactorWhitelist", ""));
    LiveMeshState mesh = new LiveMeshState();
    closing(
        MeshlogMBeans.register(
            server,
            MeshlogViews.none()
                .withNode(new HostNodeView(watched, mesh, () -> Health.OK, Duration.ofSeconds(5)))
                .withPeers(
                    new HostPeersView(
                        watched.host(), watched.gossipsub(), mesh, watched::projections)),
            Duration.ofMillis(100),
            NODE_NAME));
    JmxServer jmx = closing(JmxServer.start(JmxTestSupport.remoteConfig(dir), server));
    MBeanServerConnection c =
        closing(
                JmxTestSupport.connect(
                    jmx.serviceUrl(), JmxTestSupport.CONTROL, JmxTestSupport.CONTROL_PASSWORD))
            .getMBeanServerConnection();
    Map<String, String> notified = new ConcurrentHashMap<>();
    List<String> graylistNotes = new CopyOnWriteArrayList<>();
    c.addNotificationListener(
        nodeName,
        (n, h) -> {
          if (n.getType().equals(MeshlogNotifications.PEER_GRAYLISTED)) {
            CompositeData data = (CompositeData) n.getUserData();
            graylistNotes.add((String) data.get("peerId"));
            notified.put((String) data.get("peerId"), (String) data.get("reason"));
          }
        },
        null,
        null);

    Instant before = Instant.now();
    String address = watched.listenAddresses().get(0).toString();
    MeshlogNode alice = start("alice", Map.of("node.peers", address));
    MeshlogNode bob = start("bob", Map.of("node.peers", address));
    List<String> peers = List.of(alice.peerId().toBase58(), bob.peerId().toBase58());

    Await.until(
        "both peers graylisted in the Peers table",
        Duration.ofSeconds(30),
        () -> {
          // The router graylists a peer at its next RPC once its score is low: keep both talking
          // (the first to connect scored 0 until the second arrived).
          alice.publish("chat", "hello from alice".getBytes(StandardCharsets.UTF_8));
          bob.publish("chat", "hello from bob".getBytes(StandardCharsets.UTF_8));
          for (String p : peers) {
            if (graylisted(c, p).isEmpty()) {
              return false;
            }
          }
          return true;
        });
    for (String p : peers) {
      Matcher m = GRAYLISTED.matcher(graylisted(c, p));
      assertThat(m.matches()).as(graylisted(c, p)).isTrue();
      // P6 is the term that pulled it down (listed first); what the messages earned is noise.
      assertThat(Double.parseDouble(m.group(2).replace(",", ""))).isLessThan(-80);
      assertThat(Instant.parse(m.group(1)))
          .isBetween(before.minusSeconds(1), Instant.now().plusSeconds(1));
    }

    Await.until(
        "a graylisted notification for each peer",
        Duration.ofSeconds(10),
        () -> notified.keySet().containsAll(peers));
    for (String p : peers) {
      assertThat(notified.get(p)).isEqualTo(graylisted(c, p));
    }
    // Still graylisted several sampling intervals later: notified once per peer, not per interval.
    long samplesLater = System.nanoTime() + Duration.ofMillis(500).toNanos();
    Await.until(
        "half a second of sampling", Duration.ofSeconds(5), () -> System.nanoTime() > samplesLater);
    assertThat(graylistNotes).containsExactlyInAnyOrderElementsOf(peers);
  }

  private String graylisted(MBeanServerConnection c, String peer) throws Exception {
    TabularData table = (TabularData) c.getAttribute(peersName, "Peers");
    CompositeData row = table.get(new Object[] {peer});
    return row == null ? "" : (String) row.get("graylisted");
  }
}
