package io.meshlog.reconciliation.order;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The ordering facts of one gossip message: its topic, id, and provisional key (Lamport time,
 * origin peer id, origin seqno).
 *
 * <p>The provisional order of a topic sorts by {@link #PROVISIONAL}: Lamport time (absent counts as
 * 0, so a plain js/go message sorts before enveloped ones of the same topic), then the origin's
 * binary peer id (unsigned bytes; absent = empty), then the origin seqno (absent = 0), then the
 * message id, so that the order is total and the same on every node.
 *
 * @param topic the gossip topic
 * @param id the message id
 * @param lamport the envelope's Lamport time, or {@link #ABSENT} for a plain message
 * @param origin the original publisher's binary peer id, or an empty array
 * @param originSeqno the origin seqno, or {@link #ABSENT}
 */
public record OrderedMessage(
    String topic, MessageKey id, long lamport, byte[] origin, long originSeqno) {

  /** A number the message does not carry. */
  public static final long ABSENT = Long.MIN_VALUE;

  /** The provisional order, the same on every node. */
  public static final Comparator<OrderedMessage> PROVISIONAL =
      Comparator.comparingLong(OrderedMessage::lamportOrZero)
          .thenComparing(OrderedMessage::origin, Arrays::compareUnsigned)
          .thenComparingLong(m -> m.originSeqno == ABSENT ? 0 : m.originSeqno)
          .thenComparing(OrderedMessage::id);

  /**
   * @throws IllegalArgumentException when the topic or id is missing
   */
  public OrderedMessage {
    if (topic == null || id == null) {
      throw new IllegalArgumentException("topic and message id are required");
    }
    origin = origin == null ? new byte[0] : origin;
  }

  /** The Lamport time, 0 when absent. */
  public long lamportOrZero() {
    return lamport == ABSENT ? 0 : lamport;
  }

  /** True when the message carries a Lamport time (a meshlog envelope). */
  public boolean hasLamport() {
    return lamport != ABSENT;
  }
}
