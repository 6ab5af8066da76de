package io.meshlog.jmx.view;

import java.time.Instant;
import java.util.List;

/**
 * One peer of a node's peer registry, as the PeerRegistry MBean shows it (the same facts as {@code
 * meshlog peers}).
 *
 * @param peerId base58
 * @param reliability 0..1, from success rate and recency, now
 * @param firstSeen when the registry first learned of it
 * @param lastSeen its latest record
 * @param lastConnected its latest connection; null when never connected
 * @param successes connections opened
 * @param failures dials failed
 * @param failureStreak dials failed since its last connection
 * @param directory whether it is a remembered directory
 * @param addresses each address (without {@code /p2p}) and where it was learned, as {@code "address
 *     source"}
 */
public record RegistryEntryInfo(
    String peerId,
    double reliability,
    Instant firstSeen,
    Instant lastSeen,
    Instant lastConnected,
    long successes,
    long failures,
    int failureStreak,
    boolean directory,
    List<String> addresses) {

  public RegistryEntryInfo {
    addresses = List.copyOf(addresses);
  }
}
