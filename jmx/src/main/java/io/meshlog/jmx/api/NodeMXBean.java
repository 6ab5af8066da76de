package io.meshlog.jmx.api;

import java.util.List;

/**
 * {@code io.meshlog:type=Node}: who this node is, how it is, and what an operator can make it do.
 * Emits {@code io.meshlog.peer.connected}, {@code io.meshlog.peer.disconnected}, {@code
 * io.meshlog.mesh.graft}, {@code io.meshlog.mesh.prune}, {@code io.meshlog.health.changed}, {@code
 * io.meshlog.peer.graylisted} and {@code io.meshlog.order.reordered}.
 */
public interface NodeMXBean {

  String getPeerId();

  List<String> getListenAddresses();

  String getAgentVersion();

  long getUptimeSeconds();

  /** ISO-8601 start time. */
  String getStartTime();

  /** OK, LAGGING or FAILED: the worst of journal, projections and network. */
  String getHealth();

  /**
   * {@link #getHealth} as a number to chart: 0 OK, 1 LAGGING, 2 FAILED (as the {@code
   * meshlog_health_state} gauge).
   */
  int getHealthState();

  String getHealthReason();

  /** Whether a sequencer (a configured directory) is reachable: messages are being confirmed. */
  boolean isSequencerReachable();

  /** Publishes {@code text} (UTF-8) on {@code topic}; returns the message id. */
  String publishTestMessage(String topic, String text);

  /** Pings a connected peer; returns the round trip in milliseconds. */
  double ping(String peerId);

  /** Drops every mesh and grafts afresh from the connected peers. */
  void reconnectMesh();

  /** Dials a multiaddr; returns the remote peer id. */
  String connect(String multiaddr);

  /** Closes every connection to a peer. */
  void disconnect(String peerId);
}
