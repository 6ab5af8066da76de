package io.meshlog.node;

import io.meshlog.eventlog.metrics.CounterDeclaration;
import io.meshlog.eventlog.metrics.CounterDescriptor;
import io.meshlog.eventlog.metrics.CounterKind;

/**
 * The node process's own counters (ids 200-299; the transport and the router keep theirs), read
 * with {@link MeshlogNode#counter(NodeCounter)}. A retired counter keeps its id as a comment.
 */
public enum NodeCounter implements CounterDescriptor {
  DIALS_STARTED(201, "meshlog.node.dials.started", "dials of configured peers started"),
  DIALS_FAILED(
      202, "meshlog.node.dials.failed", "dials of configured peers that failed (then backed off)"),
  PEERS_DISCONNECTED(
      203,
      "meshlog.node.peers.disconnected",
      CounterKind.GAUGE,
      "configured peers without a connection right now (a gauge)"),
  MESSAGES_PUBLISHED(
      204, "meshlog.node.messages.published", "messages this node published in an envelope"),
  MESSAGES_RECEIVED(205, "meshlog.node.messages.received", "messages delivered to this node"),
  MESSAGES_PLAIN(
      206, "meshlog.node.messages.plain", "delivered messages without a meshlog envelope"),
  CONFIRMATIONS_APPLIED(
      207,
      "meshlog.node.sequencer.confirmations.applied",
      "final positions from a topic's sequencer, journaled as SEQUENCE_ASSIGNED"),
  CONFIRMATIONS_REFUSED(
      208,
      "meshlog.node.sequencer.confirmations.refused",
      "confirmations refused: not verified, from a second sequencer, or from a directory that is"
          + " not the node's sequencer"),
  MESSAGES_SUBMITTED(
      209,
      "meshlog.node.sequencer.messages.submitted",
      "unconfirmed messages submitted to the sequencer"),
  ORDER_CONFLICTS(
      210,
      "meshlog.node.order.conflicts",
      "confirmed positions that contradicted a final row and were not applied"),
  MESSAGES_FINALIZED(
      211,
      "meshlog.node.sequencer.messages.finalized",
      "messages a directory's sequencer gave a final position"),
  SEQUENCER_REJECTED(
      212,
      "meshlog.node.sequencer.messages.rejected",
      "messages a directory's sequencer refused to sequence (a Lamport time out of bounds)"),
  CONFIRMATIONS_SENT(
      213,
      "meshlog.node.sequencer.confirmations.sent",
      "signed confirmations (up to 500 final positions each) a directory's sequencer published"),
  RIVAL_CONFIRMATIONS(
      214,
      "meshlog.node.sequencer.confirmations.rival",
      "positions in topics a directory sequences that another directory confirmed (a second"
          + " sequencer)"),
  SEQUENCER_REACHABLE(
      215,
      "meshlog.node.sequencer.reachable",
      CounterKind.GAUGE,
      "1 while a configured directory confirms as sequencer, 0 while none does, -1 without"
          + " directories (a gauge)");

  private final CounterDeclaration declaration;

  NodeCounter(int id, String meterName, String description) {
    this(id, meterName, CounterKind.COUNTER, description);
  }

  NodeCounter(int id, String meterName, CounterKind kind, String description) {
    this.declaration = new CounterDeclaration(id, meterName, kind, description);
  }

  @Override
  public CounterDeclaration declaration() {
    return declaration;
  }
}
