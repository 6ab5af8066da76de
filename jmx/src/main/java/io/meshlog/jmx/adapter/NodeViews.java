package io.meshlog.jmx.adapter;

import io.meshlog.jmx.view.MeshlogViews;
import io.meshlog.jmx.view.TopicOrderInfo;
import io.meshlog.node.MeshlogNode;
import java.time.Duration;

/** The views of a running node, as a node process shows them to consoles. */
public final class NodeViews {

  private NodeViews() {}

  /**
   * Every view of {@code node}: event log, node, peers, topics, gossip parameters, live latencies,
   * the peer registry, and the directory when the node has that role. The node's health is the
   * worse of its journal's and its Kafka shipper's ({@link ExportHealth}).
   *
   * @param mesh the journal consumer that was handed to the node at start
   * @param operationTimeout how long a console operation (publish, ping, connect) waits
   */
  public static MeshlogViews of(MeshlogNode node, LiveMeshState mesh, Duration operationTimeout) {
    JournalEventLogView eventLog = new JournalEventLogView(node.journal(), node::projections, null);
    ExportHealth export = new ExportHealth(node.exportCounters());
    return MeshlogViews.none()
        .withEventLog(eventLog)
        .withNode(
            new HostNodeView(
                node, mesh, () -> eventLog.health().worst(export.get()), operationTimeout))
        .withPeers(
            new HostPeersView(
                node.host(), node.gossipsub(), mesh, node::projections, node.reconnects()))
        .withTopics(new ProjectionTopicsView(node::projections, mesh, t -> order(node, t)))
        .withGossip(new GossipsubControl(node.gossipsub()))
        .withDirectory(node.directory().map(DirectoryServiceView::new).orElse(null))
        .withRegistry(new ReconnectorRegistryView(node.reconnects()))
        .withLatencies(mesh.latencies());
  }

  /** The node's order of {@code topic}, as the Topic MBean shows it. */
  private static java.util.Optional<TopicOrderInfo> order(MeshlogNode node, String topic) {
    return node.orderStats(topic)
        .map(
            s ->
                new TopicOrderInfo(
                    s.lastFinalSeq(),
                    s.epoch(),
                    s.unconfirmed(),
                    s.oldestUnconfirmedNanos() < 0 ? -1 : s.oldestUnconfirmedNanos() / 1_000_000,
                    s.reorders()));
  }
}
