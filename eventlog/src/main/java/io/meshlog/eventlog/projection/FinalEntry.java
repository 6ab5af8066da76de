package io.meshlog.eventlog.projection;

/**
 * One row of a topic's final order in the projections.
 *
 * @param topic the topic
 * @param epoch the sequencer epoch
 * @param seq the final per-topic seq
 * @param messageId the message id (a copy)
 */
public record FinalEntry(String topic, long epoch, long seq, byte[] messageId) {}
