package io.meshlog.node.gossipsub;

import java.time.Duration;
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
    double behaviourPenaltyWeight,
    double behaviourPenaltyThreshold,
    double behaviourPenaltyDecay,
    Duration decayInterval,
    double decayToZero,
    Duration retainScore) {

  public PeerScoreParams {
    topics = Map.copyOf(topics);
  }

  /** Chat defaults: every topic scored with {@link TopicScoreParams#chatDefaults()}. */
  public static PeerScoreParams chatDefaults() {
    return new PeerScoreParams(
        Map.of(),
        TopicScoreParams.chatDefaults(),
        100.0,
        1.0,
        -10.0,
        4,
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
