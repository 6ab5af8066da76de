package io.meshlog.node.gossipsub;

import io.meshlog.node.p2p.PeerId;

/**
 * Told of each peer that gossipsub peer exchange offers (a PRUNE from a peer scored at least {@code
 * acceptPXThreshold}) while we are not connected to it. Called on the router thread: it must hand
 * the work on and return at once.
 */
@FunctionalInterface
public interface PeerExchangeListener {
  /**
   * @param offered the peer offered
   * @param from the peer whose PRUNE offered it
   * @param signedPeerRecord the offered peer's signed peer record (unverified envelope bytes)
   */
  void offered(PeerId offered, PeerId from, byte[] signedPeerRecord);
}
