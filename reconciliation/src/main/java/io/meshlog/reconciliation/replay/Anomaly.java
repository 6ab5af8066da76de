package io.meshlog.reconciliation.replay;

import java.util.List;

/**
 * One anomaly with the events that prove it.
 *
 * @param type which anomaly
 * @param messageId hex id of the message concerned (the displaced one for ordering anomalies)
 * @param topic the message's topic
 * @param node base58 peer id of the node where it happened
 * @param nodes for {@link AnomalyType#ORDER_DIVERGENCE}: this node and the node that delivered the
 *     two messages the other way round; otherwise empty
 * @param otherMessageId for ordering anomalies, the message delivered on the wrong side of {@code
 *     messageId}; otherwise null
 * @param cause for {@link AnomalyType#LOST}, why; otherwise null
 * @param lateByNanos for {@link AnomalyType#LATE}, the time from the first delivery anywhere to
 *     this node's delivery (skew-corrected); otherwise null
 * @param witnesses the journal events that prove it, ordered by node then index
 */
public record Anomaly(
    AnomalyType type,
    String messageId,
    String topic,
    String node,
    List<String> nodes,
    String otherMessageId,
    LostCause cause,
    Long lateByNanos,
    List<Witness> witnesses) {}
