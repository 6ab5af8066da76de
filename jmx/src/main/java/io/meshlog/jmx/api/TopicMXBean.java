package io.meshlog.jmx.api;

import io.meshlog.jmx.view.TopicInfo;

/** {@code io.meshlog:type=Topic,name=<topic>}: one topic's figures (see {@link TopicInfo}). */
public interface TopicMXBean {

  String getTopic();

  boolean isSubscribed();

  int getMeshPeers();

  long getMessageCount();

  /** Messages published or delivered per second over the last sampling interval. */
  double getMessagesPerSecond();

  /** Epoch millis of the last message, -1 when none. */
  long getLastReceivedMillis();

  /** ISO-8601 time of the last message, empty when none. */
  String getLastReceived();

  /**
   * Delivery latency percentiles and maximum in ms (publish time in the envelope to local receipt,
   * within 1% of a measured latency), -1 when none was measured.
   */
  double getDeliveryLatencyP50Millis();

  double getDeliveryLatencyP90Millis();

  double getDeliveryLatencyP99Millis();

  double getDeliveryLatencyP999Millis();

  double getDeliveryLatencyMaxMillis();

  long getDuplicates();

  long getRejects();

  /** Payload bytes of the messages published or delivered on the topic. */
  long getBytes();

  /** Change of {@link #getBytes} over the last sampling interval, bytes per second. */
  double getBytesPerSecond();

  /** The highest final seq this node holds for the topic, -1 when none (docs/reconciliation.md). */
  long getLastFinalSeq();

  /** The epoch of that seq, -1 when none. */
  long getEpoch();

  /** Messages of the topic still provisional here: no final position yet. */
  long getUnconfirmed();

  /** Seconds since the oldest provisional message arrived, -1 when none is provisional. */
  double getOldestUnconfirmedAgeSeconds();

  /** Final positions applied that moved a message in this node's order, since it started. */
  long getReorders();
}
