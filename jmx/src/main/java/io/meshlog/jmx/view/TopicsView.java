package io.meshlog.jmx.view;

import java.util.List;
import java.util.Optional;

/**
 * What the {@code io.meshlog:type=Topic,name=<topic>} MBeans read; one MBean per topic this
 * returns, kept in step by the sampler. Thread-safe.
 */
public interface TopicsView {

  /** Every topic known: subscribed, or seen on the mesh. */
  List<String> topics();

  /** One topic's figures, empty when the topic is no longer known. */
  Optional<TopicInfo> topic(String topic);

  /** The topic's order on this node, empty when the node keeps none for it. */
  default Optional<TopicOrderInfo> order(String topic) {
    return Optional.empty();
  }
}
