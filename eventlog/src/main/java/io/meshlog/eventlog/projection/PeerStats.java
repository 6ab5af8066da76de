package io.meshlog.eventlog.projection;

import io.meshlog.eventlog.Base58;
import java.util.Arrays;

/**
 * What this node's journal says about one remote peer. Times are event times (ns since the epoch)
 * taken from the journal, never from a clock. Which event types feed which field is in {@link
 * Projections}.
 *
 * @param peer binary peer id (a copy; do not modify)
 * @param firstSeenNanos time of the first event naming the peer
 * @param lastSeenNanos time of the latest event naming the peer
 * @param connections CONNECTION_OPENED count
 * @param disconnects CONNECTION_CLOSED count
 * @param messagesIn gossip RPC messages received from the peer (RECV_RPC)
 * @param messagesOut gossip RPC messages sent to the peer (SEND_RPC)
 * @param bytesIn bytes of RPCs received
 * @param bytesOut bytes of RPCs sent
 * @param delivered first deliveries of a message forwarded by the peer (DELIVER_MESSAGE)
 * @param duplicates already-seen messages the peer forwarded (DUPLICATE_MESSAGE)
 * @param rejects invalid messages or malformed input from the peer (REJECT_MESSAGE, INPUT_REJECTED)
 * @param lastRttNanos latest ping round trip, or -1 if never pinged
 */
public record PeerStats(
    byte[] peer,
    long firstSeenNanos,
    long lastSeenNanos,
    long connections,
    long disconnects,
    long messagesIn,
    long messagesOut,
    long bytesIn,
    long bytesOut,
    long delivered,
    long duplicates,
    long rejects,
    long lastRttNanos) {

  /** The peer id in base58, as libp2p prints it. */
  public String peerBase58() {
    return Base58.encode(peer);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PeerStats)) {
      return false;
    }
    PeerStats p = (PeerStats) o;
    return Arrays.equals(peer, p.peer)
        && firstSeenNanos == p.firstSeenNanos
        && lastSeenNanos == p.lastSeenNanos
        && connections == p.connections
        && disconnects == p.disconnects
        && messagesIn == p.messagesIn
        && messagesOut == p.messagesOut
        && bytesIn == p.bytesIn
        && bytesOut == p.bytesOut
        && delivered == p.delivered
        && duplicates == p.duplicates
        && rejects == p.rejects
        && lastRttNanos == p.lastRttNanos;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(peer) * 31 + Long.hashCode(lastSeenNanos);
  }

  @Override
  public String toString() {
    return "PeerStats[peer="
        + peerBase58()
        + ", firstSeen="
        + firstSeenNanos
        + ", lastSeen="
        + lastSeenNanos
        + ", connections="
        + connections
        + ", disconnects="
        + disconnects
        + ", messagesIn="
        + messagesIn
        + ", messagesOut="
        + messagesOut
        + ", bytesIn="
        + bytesIn
        + ", bytesOut="
        + bytesOut
        + ", delivered="
        + delivered
        + ", duplicates="
        + duplicates
        + ", rejects="
        + rejects
        + ", lastRtt="
        + lastRttNanos
        + "]";
  }
}
