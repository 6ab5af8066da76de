package io.meshlog.node.gossipsub;

import io.meshlog.eventlog.config.SettingValues;
import java.util.Optional;

/**
 * Score thresholds (gossipsub v1.1). The rules between them are written once, in {@link
 * #check(double, double, double, double, double)}: {@link GossipsubConfig} applies them at start,
 * the JMX console before it changes an attribute, each naming the threshold in its own terms.
 *
 * @param gossipThreshold below this no gossip is sent to or accepted from the peer (&lt;= 0)
 * @param publishThreshold below this own messages are not flood-published to the peer (&lt;=
 *     gossip)
 * @param graylistThreshold below this every RPC from the peer is ignored (&lt;= publish)
 * @param acceptPxThreshold PX from a pruning peer is followed only above this (&gt;= 0)
 * @param opportunisticGraftThreshold median mesh score below this triggers opportunistic grafting
 *     (&gt;= 0)
 */
public record PeerScoreThresholds(
    double gossipThreshold,
    double publishThreshold,
    double graylistThreshold,
    double acceptPxThreshold,
    double opportunisticGraftThreshold) {

  /**
   * A broken rule.
   *
   * @param threshold the threshold at fault: {@code gossip}, {@code publish}, {@code graylist},
   *     {@code acceptPx} or {@code opportunisticGraft}
   * @param value its value
   * @param rule what it must be, with the values it is compared to
   */
  public record Violation(String threshold, double value, String rule) {}

  /** Defaults in the range the v1.1 spec suggests. */
  public static PeerScoreThresholds defaults() {
    return new PeerScoreThresholds(-10, -50, -80, 10, 3);
  }

  /** The first broken rule between the five thresholds, if any. Stateless and thread-safe. */
  public static Optional<Violation> check(
      double gossip, double publish, double graylist, double acceptPx, double opportunisticGraft) {
    if (!finite(gossip) || gossip > 0) {
      return Optional.of(new Violation("gossip", gossip, "must be a finite number <= 0"));
    }
    if (!finite(publish) || publish > gossip) {
      return Optional.of(
          new Violation("publish", publish, "must be a finite number <= gossip=" + gossip));
    }
    if (!finite(graylist) || graylist > publish) {
      return Optional.of(
          new Violation("graylist", graylist, "must be a finite number <= publish=" + publish));
    }
    if (!finite(acceptPx) || acceptPx < 0) {
      return Optional.of(new Violation("acceptPx", acceptPx, "must be a finite number >= 0"));
    }
    if (!finite(opportunisticGraft) || opportunisticGraft < 0) {
      return Optional.of(
          new Violation("opportunisticGraft", opportunisticGraft, "must be a finite number >= 0"));
    }
    return Optional.empty();
  }

  /** The first rule these thresholds break, if any. */
  public Optional<Violation> violation() {
    return check(
        gossipThreshold,
        publishThreshold,
        graylistThreshold,
        acceptPxThreshold,
        opportunisticGraftThreshold);
  }

  void validate() {
    violation()
        .ifPresent(
            v -> {
              throw SettingValues.bad("gossipsub.threshold." + v.threshold(), v.value(), v.rule());
            });
  }

  private static boolean finite(double v) {
    return !Double.isNaN(v) && !Double.isInfinite(v);
  }
}
