package io.meshlog.node.gossipsub;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Peer score parameters (gossipsub v1.1): per-topic P1-P4 and the peer-wide P5-P7.
 *
 * @param topics score parameters per topic; topics not listed use {@code defaultTopic}
 * @param defaultTopic parameters for unlisted topics, or null to leave them unscored
 * @param topicScoreCap cap on the summed positive topic contribution (0 = none)
 * @param appSpecificWeight P5 weight (the application's score of a peer)
 * @param ipColocationFactorWeight P6 weight (negative)
 * @param ipColocationFactorThreshold peers per IP allowed before P6 applies
 * @param ipColocationFactorWhitelist address blocks P6 never applies to (go-libp2p-pubsub's
 *     colocation whitelist)
 * @param behaviourPenaltyWeight P7 weight (negative)
 * @param behaviourPenaltyThreshold P7 applies above this
 * @param behaviourPenaltyDecay P7 decay
 * @param decayInterval how often counters decay
 * @param decayToZero a decayed counter below this becomes 0
 * @param retainScore how long a disconnected peer's (non-positive) score is remembered
 */
public record PeerScoreParams(
    Map<String, TopicScoreParams> topics,
    TopicScoreParams defaultTopic,
    double topicScoreCap,
    double appSpecificWeight,
    double ipColocationFactorWeight,
    int ipColocationFactorThreshold,
    List<IpRange> ipColocationFactorWhitelist,
    double behaviourPenaltyWeight,
    double behaviourPenaltyThreshold,
    double behaviourPenaltyDecay,
    Duration decayInterval,
    double decayToZero,
    Duration retainScore) {

  public PeerScoreParams {
    topics = Map.copyOf(topics);
    ipColocationFactorWhitelist = List.copyOf(ipColocationFactorWhitelist);
  }

  /**
   * Loopback, allowed to share one address by default: processes on the node's own host are the
   * operator's, not a sybil.
   */
  public static final List<IpRange> LOOPBACK =
      List.of(IpRange.parse("127.0.0.0/8"), IpRange.parse("::1/128"));

  /**
   * Chat defaults: every topic scored with {@link TopicScoreParams#chatDefaults()}. P6 (IP
   * colocation) is off (weight 0): a community host serves many users behind one address (an
   * office, a campus, a carrier NAT); docs/gossipsub.md says why and how to turn it on.
   */
  public static PeerScoreParams chatDefaults() {
    return new PeerScoreParams(
        Map.of(),
        TopicScoreParams.chatDefaults(),
        100.0,
        1.0,
        0.0,
        10,
        LOOPBACK,
        -10.0,
        6.0,
        0.99,
        Duration.ofSeconds(1),
        0.01,
        Duration.ofMinutes(10));
  }

  /** The parameters for {@code topic}, or null when the topic is unscored. */
  public TopicScoreParams forTopic(String topic) {
    TopicScoreParams p = topics.get(topic);
    return p != null ? p : defaultTopic;
  }

  /** Whether P6 may count a peer at {@code ip}: false when the address lies in an allowed block. */
  public boolean colocationCounts(String ip) {
    for (IpRange r : ipColocationFactorWhitelist) {
      if (r.contains(ip)) {
        return false;
      }
    }
    return true;
  }

  /** Throws {@link IllegalArgumentException} naming the first bad key. */
  void validate() {
    for (Map.Entry<String, TopicScoreParams> e : topics.entrySet()) {
      e.getValue().validate("gossipsub.score.topics." + e.getKey() + ".");
    }
    if (defaultTopic != null) {
      defaultTopic.validate("gossipsub.score.defaultTopic.");
    }
    GossipsubConfig.check(topicScoreCap >= 0, "gossipsub.score.topicScoreCap", topicScoreCap);
    GossipsubConfig.check(
        ipColocationFactorWeight <= 0,
        "gossipsub.score.ipColocationFactorWeight",
        ipColocationFactorWeight);
    GossipsubConfig.check(
        ipColocationFactorThreshold >= 1,
        "gossipsub.score.ipColocationFactorThreshold",
        ipColocationFactorThreshold);
    GossipsubConfig.check(
        behaviourPenaltyWeight <= 0,
        "gossipsub.score.behaviourPenaltyWeight",
        behaviourPenaltyWeight);
    GossipsubConfig.check(
        behaviourPenaltyThreshold >= 0,
        "gossipsub.score.behaviourPenaltyThreshold",
        behaviourPenaltyThreshold);
    TopicScoreParams.checkDecay("gossipsub.score.behaviourPenaltyDecay", behaviourPenaltyDecay);
    GossipsubConfig.check(
        decayInterval != null && decayInterval.toMillis() >= 1,
        "gossipsub.score.decayInterval",
        decayInterval);
    GossipsubConfig.check(
        decayToZero > 0 && decayToZero < 1, "gossipsub.score.decayToZero", decayToZero);
    GossipsubConfig.check(
        retainScore != null && !retainScore.isNegative(),
        "gossipsub.score.retainScore",
        retainScore);
  }
}
