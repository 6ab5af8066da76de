package io.meshlog.jmx.api;

import io.meshlog.jmx.view.PeerInfo;
import javax.management.openmbean.TabularData;

/**
 * {@code io.meshlog:type=Peers}: the connected peers as one table, a row per peer keyed by peer id,
 * with columns peerId, direction, connectionType, remoteAddress, latencyMillis, reachability,
 * agent, score, topics, messagesIn, messagesOut, bytesIn, bytesOut, duplicates, graylisted,
 * failureStreak, nextDialAt, addressSource (see {@link PeerInfo}).
 */
public interface PeersMXBean {

  int getPeerCount();

  TabularData getPeers();
}
