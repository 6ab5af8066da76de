package io.meshlog.node.gossipsub;

import io.meshlog.node.p2p.PeerId;

/**
 * Receives every message of a subscribed topic once (first valid delivery, and this node's own
 * publications are not echoed). Called on the router thread: hand work off, do not block.
 */
@FunctionalInterface
public interface MessageHandler {
  void onMessage(PeerId forwarder, GossipMessage message);
}
