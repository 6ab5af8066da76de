package io.meshlog.jmx.api;

import javax.management.openmbean.TabularData;

/**
 * {@code io.meshlog:type=PeerRegistry}: the peers a node knows, connected or not, as {@code meshlog
 * peers} prints them. The table has a row per peer keyed by peerId, with columns peerId,
 * reliability (0..1), firstSeen, lastSeen, lastConnected (ISO-8601 UTC; empty when never
 * connected), successes, failures, failureStreak, directory (a remembered directory) and addresses
 * (comma-separated, each {@code address source}).
 */
public interface RegistryMXBean {

  /** Peers the registry knows. */
  int getPeerCount();

  /** Every peer the registry knows, most reliable first. */
  TabularData getPeers();
}
