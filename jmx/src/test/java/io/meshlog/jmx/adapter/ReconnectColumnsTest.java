package io.meshlog.jmx.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.eventlog.testing.Await;
import io.meshlog.jmx.JmxServer;
import io.meshlog.jmx.JmxTestSupport;
import io.meshlog.jmx.MeshlogMBeans;
import io.meshlog.jmx.view.MeshlogViews;
import io.meshlog.node.MeshlogNode;
import io.meshlog.node.NodeConfig;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Peers table's reconnection columns over two real nodes and a remote console: where the
 * address in use came from, and for a mesh peer that dropped its failure streak and next dial.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ReconnectColumnsTest {

  @TempDir Path dir;

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

  private Map<String, String> settings(String name) {
    Map<String, String> p = new HashMap<>();
    p.put("node.dataDir", dir.resolve(name).toString());
    p.put("node.listen", "/ip4/127.0.0.1/tcp/0");
    p.put("node.topics", "chat");
    p.put("reconnect.initial", "2s");
    p.put("reconnect.max", "2s");
    p.put("gossipsub.score.ipColocationFactorThreshold", "100");
    return p;
  }

  /** Registers MBeans over {@code views} and connects to them as a remote console does. */
  private MBeanServerConnection console(MeshlogViews views) throws Exception {
    closing(
        MeshlogMBeans.register(
            ManagementFactory.getPlatformMBeanServer(), views, Duration.ofMillis(50)));
    JmxServer jmx =
        closing(
            JmxServer.start(
                JmxTestSupport.remoteConfig(dir), ManagementFactory.getPlatformMBeanServer()));
    JMXConnector client =
        closing(
            JmxTestSupport.connect(
                jmx.serviceUrl(), JmxTestSupport.MONITOR, JmxTestSupport.MONITOR_PASSWORD));
    return client.getMBeanServerConnection();
  }

  @Test
  void shouldShowTheAddressSourceAndThenTheFailureStreakAndNextDialOfADroppedMeshPeer()
      throws Exception {
    MeshlogNode b = MeshlogNode.start(NodeConfig.fromProperties(settings("b")));
    Map<String, String> ap = settings("a");
    ap.put("node.peers", b.listenAddresses().get(0).toString());
    MeshlogNode a = closing(MeshlogNode.start(NodeConfig.fromProperties(ap)));
    LiveMeshState mesh = new LiveMeshState();
    MBeanServerConnection c =
        console(
            MeshlogViews.none()
                .withPeers(
                    new HostPeersView(
                        a.host(), a.gossipsub(), mesh, a::projections, a.reconnects())));
    String peer = b.peerId().toBase58();
    Await.until("b in a's mesh", () -> a.gossipsub().meshPeers("chat").get().contains(b.peerId()));
    // The reconnect thread samples the mesh every tick: a peer it never saw there is no mesh peer
    // to redial.
    Await.until("a's reconnects saw b in the mesh", () -> a.reconnects().seenInMesh(b.peerId()));

    Await.until(
        "the config source of b's address",
        () -> "config".equals(column(c, peer, "addressSource")));
    CompositeData row = row(c, peer);
    assertThat(row.get("failureStreak")).isEqualTo(0L);
    assertThat(row.get("nextDialAt")).isEqualTo("");
    assertThat(c.getAttribute(MeshlogMBeans.PEERS, "PeerCount")).isEqualTo(1);

    Instant stoppedAt = Instant.now();
    b.close();

    Await.until(
        "b listed without a connection, its redial planned",
        () -> "none".equals(column(c, peer, "connectionType")));
    Await.until("b's failure streak", () -> (Long) column(c, peer, "failureStreak") >= 1);
    row = row(c, peer);
    assertThat(Instant.parse((String) row.get("nextDialAt"))).isAfter(stoppedAt);
    assertThat((String) row.get("addressSource")).contains("config");
    assertThat(c.getAttribute(MeshlogMBeans.PEERS, "PeerCount")).isEqualTo(0);
    assertThat(c.isRegistered(MeshlogMBeans.PEERS)).isTrue();
  }

  @Test
  void shouldListThePeerRegistryOverAConsoleWhetherThePeerIsConnectedOrNot() throws Exception {
    MeshlogNode b = closing(MeshlogNode.start(NodeConfig.fromProperties(settings("b"))));
    Map<String, String> ap = settings("a");
    ap.put("node.peers", b.listenAddresses().get(0).toString());
    MeshlogNode a = closing(MeshlogNode.start(NodeConfig.fromProperties(ap)));
    MBeanServerConnection c =
        console(MeshlogViews.none().withRegistry(new ReconnectorRegistryView(a.reconnects())));
    String peer = b.peerId().toBase58();
    Await.until(
        "b known, connected once",
        () -> {
          CompositeData r = known(c, peer);
          return r != null && (Long) r.get("successes") >= 1;
        });
    CompositeData row = known(c, peer);
    assertThat(c.getAttribute(MeshlogMBeans.PEER_REGISTRY, "PeerCount")).isEqualTo(1);
    assertThat((String) row.get("addresses"))
        .contains(b.listenAddresses().get(0).withoutPeerId() + " config");
    assertThat(Instant.parse((String) row.get("lastConnected"))).isBefore(Instant.now());
    assertThat(Instant.parse((String) row.get("firstSeen")))
        .isBeforeOrEqualTo(Instant.parse((String) row.get("lastSeen")));
    assertThat((Double) row.get("reliability")).isBetween(0.5, 1.0);
    assertThat(row.get("directory")).isEqualTo(false);
    // Only a mesh peer that drops is redialled by the registry's side (a configured peer's own
    // redials are the dialer's): wait until a's reconnects saw b in the mesh.
    Await.until("b in a's mesh", () -> a.gossipsub().meshPeers("chat").get().contains(b.peerId()));
    Await.until("a's reconnects saw b in the mesh", () -> a.reconnects().seenInMesh(b.peerId()));

    b.close();

    Await.until(
        "b still known, its failed redials counted",
        () -> {
          CompositeData r = known(c, peer);
          return r != null && (Integer) r.get("failureStreak") >= 1;
        });
    assertThat((Long) known(c, peer).get("failures")).isGreaterThanOrEqualTo(1L);
    assertThat(c.getAttribute(MeshlogMBeans.PEER_REGISTRY, "PeerCount")).isEqualTo(1);
  }

  private static CompositeData known(MBeanServerConnection c, String peer) throws Exception {
    TabularData t = (TabularData) c.getAttribute(MeshlogMBeans.PEER_REGISTRY, "Peers");
    return t.get(new Object[] {peer});
  }

  private static CompositeData row(MBeanServerConnection c, String peer) throws Exception {
    TabularData t = (TabularData) c.getAttribute(MeshlogMBeans.PEERS, "Peers");
    return t.get(new Object[] {peer});
  }

  private static Object column(MBeanServerConnection c, String peer, String name) throws Exception {
    CompositeData r = row(c, peer);
    return r == null ? null : r.get(name);
  }
}
