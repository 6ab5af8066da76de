package io.meshlog.jmx.view;

/**
 * The views {@code io.meshlog.jmx.MeshlogMBeans} builds MBeans over; a null view means its MBean is
 * not registered (a replay tool has an event log and no node; only a directory node has a
 * directory; only a node has a peer registry). {@code latencies} feeds the Peer MBeans and the
 * latency series; it makes no MBean of its own.
 */
public record MeshlogViews(
    EventLogView eventLog,
    NodeView node,
    PeersView peers,
    TopicsView topics,
    GossipControl gossip,
    DirectoryView directory,
    LatencyView latencies,
    RegistryView registry) {

  public static MeshlogViews none() {
    return new MeshlogViews(null, null, null, null, null, null, null, null);
  }

  public MeshlogViews withEventLog(EventLogView v) {
    return new MeshlogViews(v, node, peers, topics, gossip, directory, latencies, registry);
  }

  public MeshlogViews withNode(NodeView v) {
    return new MeshlogViews(eventLog, v, peers, topics, gossip, directory, latencies, registry);
  }

  public MeshlogViews withPeers(PeersView v) {
    return new MeshlogViews(eventLog, node, v, topics, gossip, directory, latencies, registry);
  }

  public MeshlogViews withTopics(TopicsView v) {
    return new MeshlogViews(eventLog, node, peers, v, gossip, directory, latencies, registry);
  }

  public MeshlogViews withGossip(GossipControl v) {
    return new MeshlogViews(eventLog, node, peers, topics, v, directory, latencies, registry);
  }

  /** {@code v} null: no Directory MBean (a node in the peer role). */
  public MeshlogViews withDirectory(DirectoryView v) {
    return new MeshlogViews(eventLog, node, peers, topics, gossip, v, latencies, registry);
  }

  /** {@code v} null: no live latencies (Peer MBeans and per-peer series show none). */
  public MeshlogViews withLatencies(LatencyView v) {
    return new MeshlogViews(eventLog, node, peers, topics, gossip, directory, v, registry);
  }

  /** {@code v} null: no PeerRegistry MBean (a replay tool, which has no node). */
  public MeshlogViews withRegistry(RegistryView v) {
    return new MeshlogViews(eventLog, node, peers, topics, gossip, directory, latencies, v);
  }
}
