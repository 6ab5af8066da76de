package io.meshlog.node.p2p;

import io.meshlog.eventlog.Direction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a host knows about one connection at one moment. Fields learned from identify are empty
 * (null agent, empty lists) until the remote answered.
 *
 * @param peer the remote peer
 * @param direction {@link Direction#OUTBOUND} when this host dialed
 * @param remoteAddress the remote socket address
 * @param agentVersion what the remote calls itself, e.g. {@code js-libp2p/2.0.0}, or null
 * @param protocols the protocols the remote says it serves
 * @param listenAddresses the addresses the remote says it listens on
 * @param lastRtt the last ping round trip, or null before the first
 * @param openedAt when the upgrade completed
 * @param streams open streams right now
 */
public record ConnectionInfo(
    PeerId peer,
    Direction direction,
    Multiaddr remoteAddress,
    String agentVersion,
    List<String> protocols,
    List<Multiaddr> listenAddresses,
    Duration lastRtt,
    Instant openedAt,
    int streams) {

  public ConnectionInfo {
    protocols = List.copyOf(protocols);
    listenAddresses = List.copyOf(listenAddresses);
  }
}
