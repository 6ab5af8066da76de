package io.meshlog.reconciliation.order;

/**
 * A message's row moved when its final position was applied: what a node journals as
 * REORDER_APPLIED.
 *
 * @param message the message
 * @param position the final position applied
 * @param oldRow its 0-based row before (final rows first, then provisional ones)
 * @param newRow its row after
 */
public record Reorder(OrderedMessage message, FinalPosition position, long oldRow, long newRow) {}
