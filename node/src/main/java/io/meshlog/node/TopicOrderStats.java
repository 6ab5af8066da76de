package io.meshlog.node;

/**
 * A node's order figures for one topic, for JMX.
 *
 * @param topic the topic
 * @param lastFinalSeq the highest final seq here, or -1
 * @param epoch the epoch of that seq, or -1
 * @param unconfirmed provisional messages
 * @param oldestUnconfirmedNanos arrival (journal time, ns) of the oldest provisional one, or -1
 * @param reorders final positions applied that moved a row, since the node started
 */
public record TopicOrderStats(
    String topic,
    long lastFinalSeq,
    long epoch,
    int unconfirmed,
    long oldestUnconfirmedNanos,
    long reorders) {}
