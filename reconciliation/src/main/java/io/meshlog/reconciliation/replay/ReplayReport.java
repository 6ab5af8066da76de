package io.meshlog.reconciliation.replay;

import java.util.List;
import java.util.Map;

/**
 * What replay found: plain data in a deterministic order, for writers to print. Nodes are ordered
 * by peer id, messages by topic then canonical order, anomalies by message then node then type.
 * Every field is documented in docs/replay.md; nullable fields are boxed.
 *
 * @param nodes one entry per journal read
 * @param messages one row per message selected; may be read from several threads at once
 * @param anomalies every anomaly found among the selected messages and nodes
 * @param summary totals
 * @param skipped data directories left out (only with {@code skipBad}), or whose reading stopped
 *     early at damage
 */
public record ReplayReport(
    List<NodeSummary> nodes,
    List<MessageRow> messages,
    List<Anomaly> anomalies,
    Summary summary,
    List<Skipped> skipped) {

  /**
   * One node's journal.
   *
   * @param node base58 peer id (from NODE_STARTED, else from the origin of its own publications)
   * @param dataDir the data directory as given
   * @param events events read
   * @param firstTimeNanos time of its first event (own clock), null when empty
   * @param lastTimeNanos time of its last event (own clock), null when empty
   * @param runs process runs seen (NODE_STARTED count, at least 1 when not empty)
   * @param offsetNanos estimated clock offset (own clock minus reference clock), 0 when not
   *     estimated
   * @param offsetUncertaintyNanos half-width of the offset's bounds, null when not estimated
   * @param reference true for the node whose clock is the reference
   * @param expected messages it should have delivered (or did)
   * @param delivered messages it delivered (or published)
   * @param lost messages reported lost at it
   * @param coverage delivered / expected, 1 when nothing was expected
   * @param notJournaled events its journal counted and did not write (disk full), the sum of its
   *     EVENTS_NOT_JOURNALED; nothing within {@code --late-after} of those stretches is judged
   */
  public record NodeSummary(
      String node,
      String dataDir,
      long events,
      Long firstTimeNanos,
      Long lastTimeNanos,
      int runs,
      long offsetNanos,
      Long offsetUncertaintyNanos,
      boolean reference,
      int expected,
      int delivered,
      int lost,
      double coverage,
      long notJournaled) {}

  /**
   * One message and what every node did with it.
   *
   * @param messageId hex, as {@code meshlog journal dump} prints it
   * @param topic its topic
   * @param origin base58 peer id of its publisher, null when no event carried it
   * @param originSeqno the publisher's seqno, null when absent
   * @param lamport its Lamport time, null when absent
   * @param finalSeq the sequencer's final sequence number, null when none was assigned
   * @param canonicalPosition 0-based position in the topic's canonical order
   * @param publishTimeNanos publish time on the reference clock, null when unknown
   * @param publishTimeSource "journal" (the origin's PUBLISH_MESSAGE), "envelope" (the publish time
   *     the message carries, not corrected) or null
   * @param firstDeliveryNanos first delivery anywhere (publish included), reference clock
   * @param deliveries one entry per node, in node order
   */
  public record MessageRow(
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
      List<Delivery> deliveries) {}

  /**
   * One node's handling of one message.
   *
   * @param node base58 peer id
   * @param expected whether the node should have delivered it (see {@link AnomalyType#LOST})
   * @param delivered whether it delivered (or published) it
   * @param via "publish", "deliver" or "sync" (GAP_SYNC_FILLED); null when not delivered
   * @param route how it came: "publish", "mesh", "iwant", "flood", "sync" or "unknown" (not
   *     recorded: journals before schema version 2); null when not delivered
   * @param position 0-based position in the node's delivery order of the topic; null when not
   *     delivered
   * @param index journal index of the first delivery; null when not delivered
   * @param timeNanos time of the first delivery as journaled (own clock); null when not delivered
   * @param delayNanos first delivery minus publish time, skew-corrected; null when either is
   *     unknown
   * @param negativeDelay true when {@code delayNanos} is negative even after correction
   * @param forwarder base58 peer id the message came from (DELIVER's peer); null when none
   * @param duplicates duplicate receipts (DUPLICATE_MESSAGE) of it at this node
   * @param deliveries how many times the node delivered it (more than 1 is a duplicate delivery)
   */
  public record Delivery(
      String node,
      boolean expected,
      boolean delivered,
      String via,
      String route,
      Integer position,
      Long index,
      Long timeNanos,
      Long delayNanos,
      boolean negativeDelay,
      String forwarder,
      int duplicates,
      int deliveries) {}

  /**
   * Totals over the selected messages and nodes.
   *
   * @param nodes journals read
   * @param messages messages selected
   * @param deliveries (node, message) pairs delivered, the origin's publish included
   * @param duplicateReceipts DUPLICATE_MESSAGE events
   * @param anomalies count per anomaly, every type present, in declaration order
   * @param negativeDelays deliveries whose delay stays negative after correction
   * @param skewCorrection whether clock offsets were estimated and applied
   * @param topics per-topic delays and reach
   */
  public record Summary(
      int nodes,
      int messages,
      long deliveries,
      long duplicateReceipts,
      Map<AnomalyType, Long> anomalies,
      long negativeDelays,
      boolean skewCorrection,
      List<TopicSummary> topics) {}

  /**
   * One topic's delays, exact (nearest rank over the measured values).
   *
   * @param topic the topic
   * @param messages messages selected in it
   * @param delays number of delays measured (deliveries other than the origin's, with a known
   *     publish time)
   * @param p50Nanos median delay; null when no delay was measured (as the three below)
   * @param p90Nanos 90th percentile
   * @param p99Nanos 99th percentile
   * @param maxNanos largest delay
   * @param reach fraction of expected (node, message) pairs delivered within each time after the
   *     message's first delivery anywhere
   */
  public record TopicSummary(
      String topic,
      int messages,
      int delays,
      Long p50Nanos,
      Long p90Nanos,
      Long p99Nanos,
      Long maxNanos,
      List<ReachPoint> reach) {}

  /**
   * A point of the reach CDF.
   *
   * @param afterNanos time after the first delivery anywhere
   * @param fraction expected deliveries made by then, 0..1
   */
  public record ReachPoint(long afterNanos, double fraction) {}

  /**
   * A data directory left out or cut short.
   *
   * @param dataDir as given
   * @param reason what was wrong, naming the file where known
   * @param eventsRead events used before the damage (0 when left out entirely)
   */
  public record Skipped(String dataDir, String reason, long eventsRead) {}
}
