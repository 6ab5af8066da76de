package io.meshlog.node.discovery;

import io.meshlog.node.p2p.Multiaddr;
import io.meshlog.node.p2p.PeerId;
import java.time.Instant;
import java.util.List;

/**
 * One peer registered in one namespace (a gossipsub topic) at a directory.
 *
 * @param peer the registered peer (the signer of its record)
 * @param topic the namespace
 * @param addresses the addresses of its signed peer record, without {@code /p2p}
 * @param registeredAtNanos wall time of the latest REGISTER (epoch nanoseconds)
 * @param expiresAtNanos when it lapses unless refreshed (epoch nanoseconds)
 * @param number the directory's running registration number; cookies order by it
 * @param signedPeerRecord the envelope as the peer sent it, handed on in DISCOVER answers
 */
public record Registration(
    PeerId peer,
    String topic,
    List<Multiaddr> addresses,
    long registeredAtNanos,
    long expiresAtNanos,
    long number,
    byte[] signedPeerRecord) {

  public Registration {
    addresses = List.copyOf(addresses);
  }

  public Instant registeredAt() {
    return Instant.ofEpochSecond(0, registeredAtNanos);
  }

  public Instant expiresAt() {
    return Instant.ofEpochSecond(0, expiresAtNanos);
  }

  /** The TTL left at {@code nowNanos}, in whole seconds, at least 1 while it is live. */
  public long ttlSecondsAt(long nowNanos) {
    return Math.max(1, (expiresAtNanos - nowNanos) / 1_000_000_000L);
  }
}
