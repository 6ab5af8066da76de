package io.meshlog.reconciliation.replay;

import java.util.List;

/**
 * The life of one message across nodes, as {@link MessageExplain} reads it from the journals: plain
 * data for writers. Nodes are in node (peer-id) order; times {@code ...Nanos} are on the reference
 * clock (skew-corrected) unless named {@code journalTimeNanos} (the node's own clock, as
 * journaled). Every field is documented in docs/replay.md.
 *
 * @param messageId hex, as {@code meshlog journal dump} prints it
 * @param topic its topic
 * @param origin base58 peer id of its publisher, null when unknown
 * @param originSeqno the publisher's seqno, null when absent
 * @param lamport its Lamport time, null when absent
 * @param finalSeq the sequencer's final number, null when none
 * @param canonicalPosition 0-based position in the topic's canonical order
 * @param publishTimeNanos publish time (reference clock), null when unknown
 * @param publishTimeSource "journal", "envelope" or null, as in the replay message line
 * @param firstDeliveryNanos first delivery anywhere (publication included)
 * @param nodes what each node did with it
 * @param criticalPath the chain of hops that reached the last node to deliver it, from the origin
 *     (or the first node whose forwarder is not known) to that node; empty when nobody delivered
 * @param anomalies the anomalies replay finds for this message (at any node)
 * @param why one line answering "why was it late / out of order / missing here" for the node that
 *     fared worst (an anomaly first, else the last to deliver)
 */
public record Explanation(
    String messageId,
    String topic,
    String origin,
    Long originSeqno,
    Long lamport,
    Long finalSeq,
    int canonicalPosition,
    Long publishTimeNanos,
    String publishTimeSource,
    long firstDeliveryNanos,
    List<NodeStory> nodes,
    List<Hop> criticalPath,
    List<Anomaly> anomalies,
    String why) {

  /**
   * One node's handling of the message.
   *
   * @param node base58 peer id
   * @param dataDir its data directory as given
   * @param expected it should have delivered the message (see {@code lost})
   * @param delivered it delivered (or published) it
   * @param verdict "published", "accepted" (a valid delivery), "synced" (by gap sync), "rejected"
   *     (failed validation, see {@code rejectReason}) or "not received"
   * @param rejectReason the REJECT_MESSAGE reason, null when not rejected
   * @param via "publish", "deliver" or "sync"; null when not delivered
   * @param route how it came: "mesh", "iwant", "flood", "sync" or "unknown" (journals before schema
   *     2); "publish" for the origin; null when not delivered
   * @param forwarder base58 peer id it came from; null for the origin or when not delivered
   * @param index journal index of the first delivery; null when not delivered
   * @param journalTimeNanos time of the first delivery as journaled (own clock)
   * @param timeNanos the same on the reference clock
   * @param delayNanos {@code timeNanos} minus publish time; null when either is unknown
   * @param position 0-based position in the node's delivery order of the topic
   * @param deliveries times it delivered the message (more than 1: {@code duplicate-delivery})
   * @param ihave for an IWANT route: the IHAVE from the forwarder that offered the message (the
   *     latest before the delivery), null when none is journaled
   * @param duplicates every duplicate receipt, in journal order
   * @param meshPeers mesh peers of the topic at the delivery (or, when not delivered, at the end of
   *     its journal); null when its journal holds no mesh events of the topic
   * @param lastPrune the latest PRUNE of the topic before the delivery, null when none
   * @param anomalies labels of the anomalies replay finds for this message at this node
   * @param story one line of prose about this node
   */
  public record NodeStory(
      String node,
      String dataDir,
      boolean expected,
      boolean delivered,
      String verdict,
      String rejectReason,
      String via,
      String route,
      String forwarder,
      Long index,
      Long journalTimeNanos,
      Long timeNanos,
      Long delayNanos,
      Integer position,
      int deliveries,
      Receipt ihave,
      List<Receipt> duplicates,
      Integer meshPeers,
      Receipt lastPrune,
      List<String> anomalies,
      String story) {}

  /**
   * One journal event about the message at a node: a duplicate receipt, an IHAVE, a PRUNE.
   *
   * @param peer base58 peer id it came from (the forwarder, the IHAVE's sender, the pruned peer)
   * @param index its journal index
   * @param journalTimeNanos its time as journaled (the node's own clock)
   * @param timeNanos the same on the reference clock
   * @param text the PRUNE's reason; null otherwise
   */
  public record Receipt(
      String peer, long index, long journalTimeNanos, long timeNanos, String text) {}

  /**
   * One hop of the critical path.
   *
   * @param from base58 peer id of the sender, null for the first entry (the origin's publication,
   *     or the first node whose forwarder is not among the journals)
   * @param to base58 peer id of the node that got it
   * @param route how, as in {@link NodeStory#route()}
   * @param timeNanos when {@code to} delivered it (reference clock)
   * @param hopNanos time since {@code from} had it; null for the first entry
   */
  public record Hop(String from, String to, String route, long timeNanos, Long hopNanos) {}
}
