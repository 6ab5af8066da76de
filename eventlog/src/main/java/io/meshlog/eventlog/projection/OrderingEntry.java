package io.meshlog.eventlog.projection;

import java.util.Arrays;

/**
 * One row of the ordering index: a message of a topic at its Lamport time, and where the journal
 * holds it. Rows of a topic iterate in (lamport, origin, originSeqno) order.
 *
 * @param topic the topic
 * @param lamport the message's Lamport time
 * @param origin binary peer id of the original publisher (empty if the event had none)
 * @param originSeqno the publisher's sequence number, or {@link io.meshlog.eventlog.Event#ABSENT}
 * @param journalIndex index of the PUBLISH_MESSAGE or DELIVER_MESSAGE record in the journal
 */
public record OrderingEntry(
    String topic, long lamport, byte[] origin, long originSeqno, long journalIndex) {

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof OrderingEntry)) {
      return false;
    }
    OrderingEntry e = (OrderingEntry) o;
    return topic.equals(e.topic)
        && lamport == e.lamport
        && Arrays.equals(origin, e.origin)
        && originSeqno == e.originSeqno
        && journalIndex == e.journalIndex;
  }

  @Override
  public int hashCode() {
    return topic.hashCode() * 31 + Long.hashCode(lamport) * 17 + Long.hashCode(journalIndex);
  }

  @Override
  public String toString() {
    return "OrderingEntry["
        + topic
        + " lamport="
        + lamport
        + " seqno="
        + originSeqno
        + " @"
        + journalIndex
        + "]";
  }
}
