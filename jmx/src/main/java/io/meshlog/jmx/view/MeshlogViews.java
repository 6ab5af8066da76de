package io.meshlog.jmx.view;

import io.meshlog.jmx.MeshlogMBeans;

/**
 * The views {@link MeshlogMBeans} builds MBeans over; a null view means its MBean is not registered
 * (a replay tool has an event log and no node).
 */
public record MeshlogViews(
    EventLogView eventLog,
    NodeView node,
    PeersView peers,
    TopicsView topics,
    GossipControl gossip) {

  public static MeshlogViews none() {
    return new MeshlogViews(null, null, null, null, null);
  }

  public MeshlogViews withEventLog(EventLogView v) {
    return new MeshlogViews(v, node, peers, topics, gossip);
  }

  public MeshlogViews withNode(NodeView v) {
    return new MeshlogViews(eventLog, v, peers, topics, gossip);
  }

  public MeshlogViews withPeers(PeersView v) {
    return new MeshlogViews(eventLog, node, v, topics, gossip);
  }

  public MeshlogViews withTopics(TopicsView v) {
    return new MeshlogViews(eventLog, node, peers, v, gossip);
  }

  public MeshlogViews withGossip(GossipControl v) {
    return new MeshlogViews(eventLog, node, peers, topics, v);
  }
}
