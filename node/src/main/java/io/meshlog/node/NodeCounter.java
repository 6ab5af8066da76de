package io.meshlog.node;

/**
 * The node process's own counters (the transport and the router keep theirs), declared in one
 * place. Ids are stable; a retired counter keeps its id as a comment.
 */
public enum NodeCounter {
  DIALS_STARTED(1, "node.dials.started", "dials of configured peers started"),
  DIALS_FAILED(2, "node.dials.failed", "dials of configured peers that failed (then backed off)"),
  PEERS_DISCONNECTED(
      3, "node.peers.disconnected", "configured peers without a connection right now (a gauge)"),
  MESSAGES_PUBLISHED(4, "node.messages.published", "messages this node published in an envelope"),
  MESSAGES_RECEIVED(5, "node.messages.received", "messages delivered to this node"),
  MESSAGES_PLAIN(6, "node.messages.plain", "delivered messages without a meshlog envelope");

  private final int id;
  private final String counterName;
  private final String description;

  NodeCounter(int id, String counterName, String description) {
    this.id = id;
    this.counterName = counterName;
    this.description = description;
  }

  /** The stable id. */
  public int id() {
    return id;
  }

  /** The meter name. */
  public String counterName() {
    return counterName;
  }

  /** One line for consoles. */
  public String description() {
    return description;
  }
}
