package io.meshlog.jmx.view;

/**
 * A topic's order on this node as its {@code io.meshlog:type=Topic,name=<topic>} MBean shows it
 * (docs/reconciliation.md).
 *
 * @param lastFinalSeq the highest final seq this node holds, -1 when none
 * @param epoch the epoch of that seq, -1 when none
 * @param unconfirmed messages still provisional (no final position yet)
 * @param oldestUnconfirmedMillis epoch millis of the oldest provisional one's arrival, -1 when none
 * @param reorders final positions applied that moved a row, since the node started
 */
public record TopicOrderInfo(
    long lastFinalSeq, long epoch, long unconfirmed, long oldestUnconfirmedMillis, long reorders) {

  /** A topic with no order yet. */
  public static final TopicOrderInfo NONE = new TopicOrderInfo(-1, -1, 0, -1, 0);
}
