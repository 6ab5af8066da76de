package io.meshlog.jmx.api;

/**
 * The types of the JMX notifications meshlog emits: contracts, like the MXBean names, that consoles
 * and scripts filter on. The user data of every notification is a {@code CompositeData} of strings:
 * peerId, topic, direction, address, reason, from, to (empty where a type does not use one).
 */
public final class NotificationTypes {
  private NotificationTypes() {}

  /** A connection to a peer opened; on {@code io.meshlog:type=Node}. */
  public static final String PEER_CONNECTED = "io.meshlog.peer.connected";

  /** A connection to a peer closed; on {@code io.meshlog:type=Node}. */
  public static final String PEER_DISCONNECTED = "io.meshlog.peer.disconnected";

  /** A peer joined one of our topic meshes; on {@code io.meshlog:type=Node}. */
  public static final String GRAFT = "io.meshlog.mesh.graft";

  /** A peer left one of our topic meshes; on {@code io.meshlog:type=Node}. */
  public static final String PRUNE = "io.meshlog.mesh.prune";

  /**
   * A health state changed; on {@code io.meshlog:type=Node} (the node's) and {@code
   * io.meshlog:type=EventLog} (the journal's).
   */
  public static final String HEALTH_CHANGED = "io.meshlog.health.changed";

  /**
   * The router started ignoring a peer's RPCs (its score fell below graylistThreshold); on {@code
   * io.meshlog:type=Node}, reason = "since &lt;ISO time&gt;, score -2,560 = P6 -2,560".
   */
  public static final String PEER_GRAYLISTED = "io.meshlog.peer.graylisted";

  /**
   * A final position moved a message in this node's order of a topic (REORDER_APPLIED); on {@code
   * io.meshlog:type=Node}: topic, from and to (the old and the new 0-based row), reason = "message
   * &lt;hex id&gt; final at epoch E seq S".
   */
  public static final String REORDERED = "io.meshlog.order.reordered";

  /**
   * Retention deleted journal cycle files that a retention hold (a Kafka shipper's position) still
   * needed, because {@code journal.retention.ignoreHolds} is true: their events were never shipped.
   * On {@code io.meshlog:type=EventLog}, once per sampling interval in which it happened: from and
   * to (the EventLog's UnshippedCyclesDeleted before and after), reason = "retention deleted N
   * cycle files a retention hold still needed (journal.retention.ignoreHolds=true): their events
   * were never shipped".
   */
  public static final String UNSHIPPED_DELETED = "io.meshlog.journal.unshipped.deleted";
}
