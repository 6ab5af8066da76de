package io.meshlog.jmx.adapter;

import io.meshlog.eventlog.testing.Await;
import io.meshlog.jmx.JmxServerConfig;
import io.meshlog.jmx.MeshlogJmx;
import io.meshlog.node.MeshlogNode;
import io.meshlog.node.NodeConfig;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Two real nodes on 127.0.0.1 in one topic, both chatting, and node {@code a} shown to consoles as
 * {@code meshlog node} shows it ({@link NodeViews}, {@link NodeMeters}, a scrape endpoint on a free
 * port): a busy node for the Prometheus and Peer MBean tests.
 */
final class BusyMesh implements AutoCloseable {

  static final String TOPIC = "chat";

  final MeshlogNode a;
  final MeshlogNode b;
  final LiveMeshState mesh = new LiveMeshState();
  final MeshlogJmx jmx;

  BusyMesh(Path dir) {
    a = start(dir.resolve("a"), List.of(mesh), Map.of());
    MeshlogNode peer = null;
    MeshlogJmx started = null;
    try {
      peer =
          start(
              dir.resolve("b"),
              List.of(),
              Map.of("node.peers", a.listenAddresses().get(0) + "/p2p/" + a.peerId()));
      JmxServerConfig config =
          JmxServerConfig.defaults().withPrometheus(0, JmxServerConfig.LOOPBACK);
      started =
          MeshlogJmx.start(
              ManagementFactory.getPlatformMBeanServer(),
              config,
              NodeViews.of(a, mesh, Duration.ofSeconds(10)));
      mesh.notifyTo(started.beans().notifications());
      NodeMeters.bind(started.metrics(), a);
    } catch (RuntimeException e) {
      if (peer != null) {
        peer.close();
      }
      a.close();
      throw e;
    }
    b = peer;
    jmx = started;
  }

  /** Waits until {@code a} has {@code b} in its mesh and has measured deliveries from it. */
  BusyMesh awaitTraffic() {
    Await.until("b in a's mesh for " + TOPIC, () -> mesh.meshPeers(TOPIC) > 0);
    Await.until(
        "a delivery latency measured on " + TOPIC,
        () -> mesh.latencies().topic(TOPIC).map(l -> l.count() > 0).orElse(false));
    return this;
  }

  String scrape() {
    return jmx.metrics().scrape();
  }

  private static MeshlogNode start(
      Path data, List<LiveMeshState> handlers, Map<String, String> extra) {
    Map<String, String> p = new HashMap<>();
    p.put("node.dataDir", data.toString());
    p.put("node.listen", "/ip4/127.0.0.1/tcp/0");
    p.put("node.topics", TOPIC);
    p.put("node.chatRate", "20");
    p.putAll(extra);
    return MeshlogNode.start(NodeConfig.fromProperties(p), handlers);
  }

  @Override
  public void close() {
    try {
      jmx.close();
    } finally {
      try {
        b.close();
      } finally {
        a.close();
      }
    }
  }
}
