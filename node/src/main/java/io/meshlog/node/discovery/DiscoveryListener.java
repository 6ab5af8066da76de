package io.meshlog.node.discovery;

import io.meshlog.node.p2p.PeerId;
import io.meshlog.node.p2p.PeerRecord;

/**
 * Told about every verified peer record a directory's DISCOVER answer carried, whether or not the
 * peer was dialled: the feed a peer registry consumes. Called on the discovery thread; must not
 * block for long.
 */
@FunctionalInterface
public interface DiscoveryListener {

  /** Does nothing. */
  DiscoveryListener NONE = (directory, topic, record) -> {};

  /**
   * @param directory the directory that answered
   * @param topic the namespace the record was registered in
   * @param record the peer's signed record, verified
   */
  void discovered(PeerId directory, String topic, PeerRecord record);
}
