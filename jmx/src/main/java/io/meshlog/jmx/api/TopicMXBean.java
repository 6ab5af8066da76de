package io.meshlog.jmx.api;

import io.meshlog.jmx.view.TopicInfo;

/** {@code io.meshlog:type=Topic,name=<topic>}: one topic's figures (see {@link TopicInfo}). */
public interface TopicMXBean {

  String getTopic();

  boolean isSubscribed();

  int getMeshPeers();

  long getMessageCount();

  /** Epoch millis of the last message, -1 when none. */
  long getLastReceivedMillis();

  /** ISO-8601 time of the last message, empty when none. */
  String getLastReceived();

  double getDeliveryLatencyP50Millis();

  double getDeliveryLatencyP99Millis();

  long getDuplicates();

  long getRejects();
}
