package io.meshlog.node.gossipsub;

import io.meshlog.node.p2p.PeerId;

/**
 * Where the router hands encoded RPCs to the network: one call per RPC to one peer.
 *
 * <p>Called only from the router thread, so an implementation must not block: it queues the bytes
 * on the peer's stream (bounded) and returns. Returning {@code false} means the peer's outbound
 * queue is full or the peer is gone; the router counts and journals that as a dropped RPC.
 */
public interface GossipTransport {

  /**
   * Queues one length-prefix-free RPC (the router's encoded protobuf) for {@code peer}.
   *
   * @return true when queued, false when dropped
   */
  boolean send(PeerId peer, byte[] rpc);

  /**
   * A peer offered by peer exchange (PRUNE from {@code from}, a well-scored peer) that we are not
   * connected to; the host may dial it. {@code signedPeerRecord} is the opaque envelope, or null
   * (then there is no address to dial). Must not block.
   */
  default void connect(PeerId peer, PeerId from, byte[] signedPeerRecord) {}

  /**
   * The signed peer record of connected {@code peer} to offer others by peer exchange (what it sent
   * in identify), or null when none is known. Must not block.
   */
  default byte[] signedPeerRecord(PeerId peer) {
    return null;
  }
}
