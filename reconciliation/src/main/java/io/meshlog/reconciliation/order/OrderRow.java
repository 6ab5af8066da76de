package io.meshlog.reconciliation.order;

/**
 * One row of a node's topic order.
 *
 * @param message the message
 * @param position its final position, or null while provisional
 * @param arrivalNanos when this node first saw it (journal time)
 */
public record OrderRow(OrderedMessage message, FinalPosition position, long arrivalNanos) {

  public boolean isFinal() {
    return position != null;
  }
}
