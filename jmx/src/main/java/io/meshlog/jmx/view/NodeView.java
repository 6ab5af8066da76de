package io.meshlog.jmx.view;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the {@code io.meshlog:type=Node} MBean reads and does. Peer ids are base58 text ({@code
 * 12D3KooW...}). Implementations must be thread-safe; operations may block up to their own timeouts
 * (they run on a console's RMI thread, never on an event loop).
 */
public interface NodeView {

  String peerId();

  /** Multiaddrs the node listens on, e.g. {@code /ip4/127.0.0.1/tcp/4001}. */
  List<String> listenAddresses();

  /** The agent version sent in identify, e.g. {@code meshlog/0.1.0}. */
  String agentVersion();

  /** When the node started. */
  Instant startedAt();

  /** The node's health: the worst of journal, projections and network. */
  Health health();

  /**
   * Whether a configured directory answers as sequencer (always true on a directory, false on a
   * node without directories); see docs/reconciliation.md.
   */
  default boolean sequencerReachable() {
    return false;
  }

  /**
   * Publishes {@code data} on {@code topic} as this node.
   *
   * @return the message id as text
   * @throws IllegalArgumentException for a bad topic
   * @throws IllegalStateException when the node cannot publish now
   */
  String publish(String topic, byte[] data);

  /**
   * Pings a connected peer.
   *
   * @return the round-trip time
   * @throws IllegalArgumentException for an unknown or unparsable peer id
   * @throws IllegalStateException when the ping fails or times out
   */
  Duration ping(String peerId);

  /** Drops every mesh and grafts afresh from the connected peers. */
  void reconnectMesh();

  /**
   * Dials a multiaddr and waits for the connection.
   *
   * @return the remote peer id
   * @throws IllegalArgumentException for an unparsable address
   * @throws IllegalStateException when the dial fails
   */
  String connect(String multiaddr);

  /**
   * Closes every connection to a peer.
   *
   * @throws IllegalArgumentException for an unparsable peer id
   */
  void disconnect(String peerId);
}
