package io.meshlog.jmx.view;

import java.util.List;

/**
 * One peer as the {@code io.meshlog:type=Peers} table shows it: a connected one, or a mesh peer
 * being redialled ({@code connectionType} {@link #NOT_CONNECTED}).
 *
 * @param peerId base58 peer id
 * @param direction "inbound" or "outbound"
 * @param connectionType "direct" or "relayed"; {@link #NOT_CONNECTED} while it is being redialled
 * @param remoteAddress the remote multiaddr
 * @param latencyMillis last ping round trip, -1 when not measured
 * @param reachability NAT/reachability as far as known ("public", "private", "unknown")
 * @param agent the peer's identify agent version, empty when unknown
 * @param score the peer's gossipsub score, 0 when not scored
 * @param topics topics the peer subscribes to
 * @param messagesIn gossip messages received from the peer
 * @param messagesOut gossip messages sent to the peer
 * @param bytesIn bytes received from the peer
 * @param bytesOut bytes sent to the peer
 * @param duplicates gossip messages the peer forwarded that the node had already seen
 * @param graylisted empty when the router serves the peer; else since when and why it ignores its
 *     RPCs: {@code "since 2026-12-02T01:30:00.125Z, score -2,560 = P6 -2,560"}
 * @param failureStreak dial failures of the peer since its last connection (peer registry)
 * @param nextDialAt when the peer is redialled next (ISO-8601), empty when no redial is planned
 * @param addressSource where the address in use came from ({@code config}, {@code
 *     directory-config}, {@code directory}, {@code px}, {@code identify}, {@code inbound}); several
 *     comma-separated when the address in use is not in the registry; empty when unknown
 */
public record PeerInfo(
    String peerId,
    String direction,
    String connectionType,
    String remoteAddress,
    double latencyMillis,
    String reachability,
    String agent,
    double score,
    List<String> topics,
    long messagesIn,
    long messagesOut,
    long bytesIn,
    long bytesOut,
    long duplicates,
    String graylisted,
    long failureStreak,
    String nextDialAt,
    String addressSource) {
  /** The connectionType of a mesh peer that dropped and is being redialled. */
  public static final String NOT_CONNECTED = "none";

  public PeerInfo {
    topics = List.copyOf(topics);
  }

  /**
   * A peer without duplicate counts or reconnection facts (no projections, no registry): duplicates
   * and streak 0, next dial and address source empty.
   */
  public PeerInfo(
      String peerId,
      String direction,
      String connectionType,
      String remoteAddress,
      double latencyMillis,
      String reachability,
      String agent,
      double score,
      List<String> topics,
      long messagesIn,
      long messagesOut,
      long bytesIn,
      long bytesOut,
      String graylisted) {
    this(
        peerId,
        direction,
        connectionType,
        remoteAddress,
        latencyMillis,
        reachability,
        agent,
        score,
        topics,
        messagesIn,
        messagesOut,
        bytesIn,
        bytesOut,
        0,
        graylisted,
        0,
        "",
        "");
  }
}
