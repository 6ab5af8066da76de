package io.meshlog.reconciliation.order;

/**
 * A final position the sequencer gave a message: what is journaled as SEQUENCE_ASSIGNED and then
 * confirmed to nodes.
 */
public record Assignment(OrderedMessage message, FinalPosition position) {}
