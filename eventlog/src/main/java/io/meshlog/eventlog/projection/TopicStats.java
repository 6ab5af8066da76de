package io.meshlog.eventlog.projection;

/**
 * What this node's journal says about one topic. Which event types feed which field is in {@link
 * Projections}.
 *
 * @param topic the topic name
 * @param messages messages seen for the first time: PUBLISH_MESSAGE plus DELIVER_MESSAGE
 * @param bytes their payload bytes (data length, else the event's size)
 * @param lastMessageNanos event time of the latest of them, or 0 if none
 * @param duplicates DUPLICATE_MESSAGE count
 * @param rejects REJECT_MESSAGE count
 * @param latency DELIVER_MESSAGE latencies (event time minus the publish time in {@code value})
 * @param latencySkewed deliveries whose publish time lies after the delivery (clock skew), not in
 *     the histogram
 */
public record TopicStats(
    String topic,
    long messages,
    long bytes,
    long lastMessageNanos,
    long duplicates,
    long rejects,
    LatencyHistogram latency,
    long latencySkewed) {}
