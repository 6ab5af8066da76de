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
 * @param latencyP99Millis 99th percentile publish-to-receipt latency, -1 when not measured
 * @param duplicates duplicate messages seen
 * @param rejects messages rejected by validation
 */
public record TopicInfo(
    String topic,
    boolean subscribed,
    int meshPeers,
    long messages,
    long lastReceivedMillis,
    double latencyP50Millis,
    double latencyP99Millis,
    long duplicates,
    long rejects) {}
