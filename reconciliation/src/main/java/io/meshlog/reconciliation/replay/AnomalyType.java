package io.meshlog.reconciliation.replay;

/**
 * The named ordering anomalies replay reports. The labels are part of the output format (JSON
 * {@code type}, the summary's {@code anomalies} keys): they never change. Declaration order is the
 * order of output.
 */
public enum AnomalyType {
  /** A node should have delivered a message (it was subscribed and running) and never did. */
  LOST("lost"),
  /** A node delivered the same message id more than once. */
  DUPLICATE_DELIVERY("duplicate-delivery"),
  /** A node delivered an origin's seqno s2 before s1 < s2 on the same topic. */
  FIFO_INVERSION("fifo-inversion"),
  /** A node delivered m2 before m1 although m2's origin had seen m1 before publishing m2. */
  CAUSAL_INVERSION("causal-inversion"),
  /** Two nodes delivered the same two messages of a topic in opposite orders. */
  ORDER_DIVERGENCE("order-divergence"),
  /** A node delivered a message more than the late threshold after its first delivery anywhere. */
  LATE("late");

  private final String label;

  AnomalyType(String label) {
    this.label = label;
  }

  /** The stable name used in every output format. */
  public String label() {
    return label;
  }
}
