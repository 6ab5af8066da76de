package io.meshlog.node.gossipsub;

/**
 * Score thresholds (gossipsub v1.1).
 *
 * @param gossipThreshold below this no gossip is sent to or accepted from the peer (negative)
 * @param publishThreshold below this own messages are not flood-published to the peer (&lt;=
 *     gossip)
 * @param graylistThreshold below this every RPC from the peer is ignored (&lt;= publish)
 * @param acceptPxThreshold PX from a pruning peer is followed only above this (&gt;= 0)
 * @param opportunisticGraftThreshold median mesh score below this triggers opportunistic grafting
 */
public record PeerScoreThresholds(
    double gossipThreshold,
    double publishThreshold,
    double graylistThreshold,
    double acceptPxThreshold,
    double opportunisticGraftThreshold) {

  /** Defaults in the range the v1.1 spec suggests. */
  public static PeerScoreThresholds defaults() {
    return new PeerScoreThresholds(-10, -50, -80, 10, 3);
  }

  void validate() {
    GossipsubConfig.check(gossipThreshold <= 0, "gossipsub.threshold.gossip", gossipThreshold);
    GossipsubConfig.check(
        publishThreshold <= gossipThreshold, "gossipsub.threshold.publish", publishThreshold);
    GossipsubConfig.check(
        graylistThreshold <= publishThreshold, "gossipsub.threshold.graylist", graylistThreshold);
    GossipsubConfig.check(
        acceptPxThreshold >= 0, "gossipsub.threshold.acceptPx", acceptPxThreshold);
    GossipsubConfig.check(
        opportunisticGraftThreshold >= 0,
        "gossipsub.threshold.opportunisticGraft",
        opportunisticGraftThreshold);
  }
}
