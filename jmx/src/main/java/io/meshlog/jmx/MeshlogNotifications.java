package io.meshlog.jmx;

import io.meshlog.jmx.api.NotificationTypes;
import io.meshlog.jmx.internal.GatedEmitter;
import io.meshlog.jmx.internal.NotificationData;

/**
 * The JMX notifications meshlog emits, and the calls that emit them. Each call checks whether a
 * listener is registered on the emitting MBean before it builds anything, so with no console open a
 * call costs one volatile read and allocates nothing. (The JDK's remote connector, once any client
 * has subscribed to notifications, stays subscribed until the connector stops.)
 *
 * <p>The user data of every notification is a {@code CompositeData} of strings: peerId, topic,
 * direction, address, reason, from, to (empty where a type does not use one).
 *
 * <p>Thread-safe; notifications are delivered on the caller's thread (a JMX connector only queues
 * them), so callers may be network or router threads.
 */
public final class MeshlogNotifications {

  /** {@link NotificationTypes#PEER_CONNECTED}. */
  public static final String PEER_CONNECTED = NotificationTypes.PEER_CONNECTED;

  /** {@link NotificationTypes#PEER_DISCONNECTED}. */
  public static final String PEER_DISCONNECTED = NotificationTypes.PEER_DISCONNECTED;

  /** {@link NotificationTypes#GRAFT}. */
  public static final String GRAFT = NotificationTypes.GRAFT;

  /** {@link NotificationTypes#PRUNE}. */
  public static final String PRUNE = NotificationTypes.PRUNE;

  /** {@link NotificationTypes#HEALTH_CHANGED}. */
  public static final String HEALTH_CHANGED = NotificationTypes.HEALTH_CHANGED;

  /** {@link NotificationTypes#PEER_GRAYLISTED}. */
  public static final String PEER_GRAYLISTED = NotificationTypes.PEER_GRAYLISTED;

  /** See {@link NotificationTypes#REORDERED}. */
  public static final String REORDERED = NotificationTypes.REORDERED;

  /** See {@link NotificationTypes#UNSHIPPED_DELETED}. */
  public static final String UNSHIPPED_DELETED = NotificationTypes.UNSHIPPED_DELETED;

  private final GatedEmitter node;

  MeshlogNotifications(GatedEmitter node) {
    this.node = node;
  }

  /** Whether a listener is registered for the node's notifications. */
  public boolean active() {
    return node != null && node.active();
  }

  /**
   * @param direction "inbound" or "outbound"
   * @param address the remote multiaddr
   */
  public void peerConnected(String peerId, String direction, String address) {
    if (!active()) {
      return;
    }
    node.emit(
        PEER_CONNECTED,
        "peer connected: " + peerId + " (" + direction + ", " + address + ")",
        NotificationData.of(peerId, null, direction, address, null, null, null));
  }

  public void peerDisconnected(String peerId, String reason) {
    if (!active()) {
      return;
    }
    node.emit(
        PEER_DISCONNECTED,
        "peer disconnected: " + peerId + (reason == null || reason.isEmpty() ? "" : ": " + reason),
        NotificationData.of(peerId, null, null, null, reason, null, null));
  }

  /**
   * @param why since when and the score breakdown, as in the Peers table's graylisted column
   */
  public void peerGraylisted(String peerId, String why) {
    if (!active()) {
      return;
    }
    node.emit(
        PEER_GRAYLISTED,
        "peer graylisted (its RPCs are ignored): " + peerId + ", " + why,
        NotificationData.of(peerId, null, null, null, why, null, null));
  }

  /**
   * @param direction "inbound" (the peer grafted us) or "outbound" (we grafted it)
   */
  public void graft(String peerId, String topic, String direction) {
    if (!active()) {
      return;
    }
    node.emit(
        GRAFT,
        "graft " + topic + " " + peerId + " (" + direction + ")",
        NotificationData.of(peerId, topic, direction, null, null, null, null));
  }

  /**
   * @param messageId the message id, hex
   * @param oldRow its 0-based row before the final position applied
   * @param newRow its row after
   */
  public void reordered(
      String topic, String messageId, long epoch, long seq, long oldRow, long newRow) {
    if (!active()) {
      return;
    }
    String why = "message " + messageId + " final at epoch " + epoch + " seq " + seq;
    node.emit(
        REORDERED,
        "reorder " + topic + ": row " + oldRow + " -> " + newRow + " (" + why + ")",
        NotificationData.of(
            null, topic, null, null, why, Long.toString(oldRow), Long.toString(newRow)));
  }

  /**
   * @param direction "inbound" (the peer pruned us) or "outbound" (we pruned it)
   */
  public void prune(String peerId, String topic, String direction) {
    if (!active()) {
      return;
    }
    node.emit(
        PRUNE,
        "prune " + topic + " " + peerId + " (" + direction + ")",
        NotificationData.of(peerId, topic, direction, null, null, null, null));
  }
}
