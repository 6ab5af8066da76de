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
      206, "meshlog.node.messages.plain", "delivered messages without a meshlog envelope");

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
