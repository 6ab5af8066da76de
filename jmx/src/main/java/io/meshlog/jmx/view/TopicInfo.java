package io.meshlog.jmx.view;

/**
 * One topic as its {@code io.meshlog:type=Topic,name=<topic>} MBean shows it.
 *
 * @param topic the topic name
 * @param subscribed whether this node subscribes to it
 * @param meshPeers peers in this node's mesh for the topic
 * @param messages messages published or delivered on it
 * @param lastReceivedMillis epoch millis of the last message, -1 when none
 * @param latencyP50Millis median publish-to-receipt latency, -1 when not measured
 * @param latencyP90Millis 90th percentile publish-to-receipt latency, -1 when not measured
 * @param latencyP99Millis 99th percentile publish-to-receipt latency, -1 when not measured
 * @param latencyP999Millis 99.9th percentile publish-to-receipt latency, -1 when not measured
 * @param latencyMaxMillis longest publish-to-receipt latency, -1 when not measured
 * @param duplicates duplicate messages seen
 * @param rejects messages rejected by validation
 * @param bytes payload bytes of the messages published or delivered on it
 */
public record TopicInfo(
    String topic,
    boolean subscribed,
    int meshPeers,
    long messages,
    long lastReceivedMillis,
    double latencyP50Millis,
    double latencyP90Millis,
    double latencyP99Millis,
    double latencyP999Millis,
    double latencyMaxMillis,
    long duplicates,
    long rejects,
    long bytes) {

  /** A topic with no latency and no byte count measured. */
  public static TopicInfo withoutLatency(
      String topic,
      boolean subscribed,
      int meshPeers,
      long messages,
      long lastReceivedMillis,
      long duplicates,
      long rejects) {
    return new TopicInfo(
        topic,
        subscribed,
        meshPeers,
        messages,
        lastReceivedMillis,
        -1,
        -1,
        -1,
        -1,
        -1,
        duplicates,
        rejects,
        0);
  }
}
