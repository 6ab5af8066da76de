package io.meshlog.node.gossipsub;

import java.time.Duration;

/**
 * Score parameters of one topic (gossipsub v1.1, P1-P4). Weights of penalties (P3, P3b, P4) are
 * negative, rewards (P1, P2) positive. Decays are multipliers applied every decay interval.
 *
 * @param topicWeight multiplies the topic's whole contribution
 * @param timeInMeshWeight P1 weight
 * @param timeInMeshQuantum P1 counts time in mesh in these units
 * @param timeInMeshCap P1 counter cap
 * @param firstMessageDeliveriesWeight P2 weight
 * @param firstMessageDeliveriesDecay P2 decay
 * @param firstMessageDeliveriesCap P2 counter cap
 * @param meshMessageDeliveriesWeight P3 weight (negative)
 * @param meshMessageDeliveriesDecay P3 decay
 * @param meshMessageDeliveriesCap P3 counter cap
 * @param meshMessageDeliveriesThreshold P3 deficit is measured below this
 * @param meshMessageDeliveriesWindow a duplicate within this of the first delivery still counts
 * @param meshMessageDeliveriesActivation time in mesh before P3 applies
 * @param meshFailurePenaltyWeight P3b weight (negative)
 * @param meshFailurePenaltyDecay P3b decay
 * @param invalidMessageDeliveriesWeight P4 weight (negative)
 * @param invalidMessageDeliveriesDecay P4 decay
 */
public record TopicScoreParams(
    double topicWeight,
    double timeInMeshWeight,
    Duration timeInMeshQuantum,
    double timeInMeshCap,
    double firstMessageDeliveriesWeight,
    double firstMessageDeliveriesDecay,
    double firstMessageDeliveriesCap,
    double meshMessageDeliveriesWeight,
    double meshMessageDeliveriesDecay,
    double meshMessageDeliveriesCap,
    double meshMessageDeliveriesThreshold,
    Duration meshMessageDeliveriesWindow,
    Duration meshMessageDeliveriesActivation,
    double meshFailurePenaltyWeight,
    double meshFailurePenaltyDecay,
    double invalidMessageDeliveriesWeight,
    double invalidMessageDeliveriesDecay) {

  /**
   * Defaults for a low-rate chat topic, with a 1 s decay interval: P3 is off (a quiet channel is
   * not a failing peer); one invalid message (P4) puts a peer below the graylist threshold and is
   * forgotten slowly (half-life about 11 minutes); first deliveries earn a little (half-life about
   * 70 s).
   */
  public static TopicScoreParams chatDefaults() {
    return new TopicScoreParams(
        1.0,
        0.01,
        Duration.ofSeconds(1),
        3600,
        1.0,
        0.99,
        100,
        0.0,
        0.99,
        100,
        1,
        Duration.ofMillis(10),
        Duration.ofSeconds(30),
        0.0,
        0.99,
        -100.0,
        0.999);
  }

  /** Throws {@link IllegalArgumentException} naming the first bad key under {@code prefix}. */
  void validate(String prefix) {
    GossipsubConfig.check(topicWeight >= 0, prefix + "topicWeight", topicWeight);
    GossipsubConfig.check(timeInMeshWeight >= 0, prefix + "timeInMeshWeight", timeInMeshWeight);
    GossipsubConfig.check(
        timeInMeshQuantum != null && !timeInMeshQuantum.isNegative() && !timeInMeshQuantum.isZero(),
        prefix + "timeInMeshQuantum",
        timeInMeshQuantum);
    GossipsubConfig.check(timeInMeshCap >= 0, prefix + "timeInMeshCap", timeInMeshCap);
    GossipsubConfig.check(
        firstMessageDeliveriesWeight >= 0,
        prefix + "firstMessageDeliveriesWeight",
        firstMessageDeliveriesWeight);
    checkDecay(prefix + "firstMessageDeliveriesDecay", firstMessageDeliveriesDecay);
    GossipsubConfig.check(
        meshMessageDeliveriesWeight <= 0,
        prefix + "meshMessageDeliveriesWeight",
        meshMessageDeliveriesWeight);
    checkDecay(prefix + "meshMessageDeliveriesDecay", meshMessageDeliveriesDecay);
    GossipsubConfig.check(
        meshMessageDeliveriesThreshold >= 0
            && meshMessageDeliveriesCap >= meshMessageDeliveriesThreshold,
        prefix + "meshMessageDeliveriesThreshold",
        meshMessageDeliveriesThreshold);
    GossipsubConfig.check(
        meshMessageDeliveriesWindow != null && !meshMessageDeliveriesWindow.isNegative(),
        prefix + "meshMessageDeliveriesWindow",
        meshMessageDeliveriesWindow);
    GossipsubConfig.check(
        meshMessageDeliveriesActivation != null && !meshMessageDeliveriesActivation.isNegative(),
        prefix + "meshMessageDeliveriesActivation",
        meshMessageDeliveriesActivation);
    GossipsubConfig.check(
        meshFailurePenaltyWeight <= 0,
        prefix + "meshFailurePenaltyWeight",
        meshFailurePenaltyWeight);
    checkDecay(prefix + "meshFailurePenaltyDecay", meshFailurePenaltyDecay);
    GossipsubConfig.check(
        invalidMessageDeliveriesWeight <= 0,
        prefix + "invalidMessageDeliveriesWeight",
        invalidMessageDeliveriesWeight);
    checkDecay(prefix + "invalidMessageDeliveriesDecay", invalidMessageDeliveriesDecay);
  }

  static void checkDecay(String key, double decay) {
    GossipsubConfig.check(decay > 0 && decay < 1, key, decay);
  }
}
