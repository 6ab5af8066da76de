package io.meshlog.node.discovery;

/**
 * What discovery needs to know of the gossip mesh, without depending on the router: how many mesh
 * peers a topic has and the degree below which more peers are wanted. The node supplies it.
 */
public interface TopicMesh {

  /** Mesh peers in {@code topic} now, or -1 when unknown (the router did not answer). */
  int meshPeers(String topic);

  /** D_lo: fewer mesh peers than this make a topic look for more. */
  int lowWatermark();

  /** The mesh peers of {@code topic} now; empty when unknown. */
  default java.util.Set<io.meshlog.node.p2p.PeerId> meshMembers(String topic) {
    return java.util.Set.of();
  }
}
