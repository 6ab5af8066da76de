package io.meshlog.reconciliation.replay;

import io.meshlog.eventlog.EventType;

/**
 * One journal event that proves an anomaly: {@code meshlog journal dump --data-dir <node's dir>
 * --from-index <index>} shows it.
 *
 * @param node base58 peer id of the node whose journal holds the event
 * @param index the event's journal index
 * @param type the event's type
 * @param timeNanos the event's time as journaled (the node's own clock, not corrected)
 */
public record Witness(String node, long index, EventType type, long timeNanos) {}
