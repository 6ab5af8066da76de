package io.meshlog.jmx.api;

/**
 * {@code io.meshlog:type=Peer,name=<base58 peer id>}: one connected peer, registered while it is
 * connected (so bounded by the connection limit). Every number charts in JConsole and VisualVM.
 * Values are those of the JMX sampler's last pass (once per sampling interval, one second by
 * default); rates are the change over that pass.
 */
public interface PeerMXBean {

  String getPeerId();

  /** "inbound" or "outbound". */
  String getDirection();

  /** "direct" or "relayed". */
  String getConnectionType();

  String getRemoteAddress();

  /** "loopback", "private", "public", "relayed" or "unknown". */
  String getReachability();

  /** The identify agent version, empty when unknown. */
  String getAgent();

  /**
   * Topics the peer subscribes to, sorted and comma-separated (a plain string, so JConsole shows it
   * in the attribute table rather than as an array to open).
   */
  String getTopics();

  /** Empty when the router serves the peer; else since when and why it is graylisted. */
  String getGraylisted();

  /** Last ping round trip in ms, -1 when not measured. */
  double getRttMillis();

  /** Gossipsub score. */
  double getScore();

  long getMessagesIn();

  long getMessagesOut();

  long getBytesIn();

  long getBytesOut();

  /** Gossip messages the peer forwarded that the node had already seen. */
  long getDuplicates();

  /**
   * Dial failures of the peer since its last connection (the peer registry's streak; 0 while the
   * connection that made it a Peer MBean holds).
   */
  long getFailureStreak();

  double getMessagesInPerSecond();

  double getMessagesOutPerSecond();

  double getBytesInPerSecond();

  double getBytesOutPerSecond();

  /**
   * Delivery latency of messages first received from this peer, ms, over the last minute (see
   * {@code docs/prometheus.md}); -1 when none was measured.
   */
  double getDeliveryLatencyP50Millis();

  double getDeliveryLatencyP99Millis();

  double getDeliveryLatencyMaxMillis();

  /** Deliveries first received from this peer since it connected. */
  long getDeliveries();
}
