package io.meshlog.node.gossipsub;

/**
 * Every counter the gossipsub router keeps, with a stable id (for JMX and dashboards), a name and a
 * one-line description. Values are read through {@link Gossipsub#counter(GossipCounter)}.
 */
public enum GossipCounter {
  RPC_RECEIVED(1, "rpc-received", "RPCs received from peers"),
  RPC_SENT(2, "rpc-sent", "RPCs handed to the transport"),
  RPC_DROPPED(3, "rpc-dropped", "RPCs the transport refused (peer queue full or peer gone)"),
  RPC_REJECTED(4, "rpc-rejected", "RPCs rejected as oversized or malformed"),
  RPC_GRAYLISTED(
      5, "rpc-graylisted", "RPCs ignored because the peer is below the graylist threshold"),
  MESSAGES_PUBLISHED(6, "messages-published", "messages this node published"),
  MESSAGES_DELIVERED(7, "messages-delivered", "first valid deliveries of messages"),
  MESSAGES_DUPLICATE(8, "messages-duplicate", "messages received again"),
  MESSAGES_REJECTED(9, "messages-rejected", "messages rejected (signature, size, validator)"),
  MESSAGES_IGNORED(10, "messages-ignored", "messages ignored by a validator or unsubscribed topic"),
  MESSAGES_FORWARDED(11, "messages-forwarded", "message copies forwarded to peers"),
  IHAVE_RECEIVED(12, "ihave-received", "IHAVE entries received"),
  IHAVE_IGNORED(
      13, "ihave-ignored", "IHAVE entries ignored (over the per-heartbeat limit or low score)"),
  IWANT_RECEIVED(14, "iwant-received", "IWANT ids received"),
  IWANT_IGNORED(
      15, "iwant-ignored", "IWANT ids not served (unknown, over retransmission limit, low score)"),
  GRAFT_RECEIVED(16, "graft-received", "GRAFTs received"),
  GRAFT_REFUSED(
      17,
      "graft-refused",
      "GRAFTs answered with PRUNE (backoff, score, mesh full, not subscribed)"),
  PRUNE_RECEIVED(18, "prune-received", "PRUNEs received"),
  BROKEN_PROMISES(19, "broken-promises", "IWANT promises not kept in time (P7 penalties)"),
  BEHAVIOUR_PENALTIES(20, "behaviour-penalties", "P7 behaviour penalties applied"),
  HEARTBEATS(21, "heartbeats", "heartbeats run"),
  INBOUND_QUEUE_FULL(22, "inbound-queue-full", "router inputs refused because its queue was full"),
  ROUTER_ERRORS(23, "router-errors", "unexpected exceptions caught in the router loop"),
  SEEN_EVICTED(24, "seen-evicted", "seen-cache entries forgotten early because the cache was full"),
  PROMISES_DROPPED(
      25, "promises-dropped", "IWANT requests not made because the peer's promise table was full"),
  IDONTWANT_RECEIVED(26, "idontwant-received", "IDONTWANT ids received"),
  EARLY_RPCS_DROPPED(
      27,
      "early-rpcs-dropped",
      "RPCs a peer sent before our own gossip stream to it was open, beyond what is held for it");

  private final int id;
  private final String metricName;
  private final String description;

  GossipCounter(int id, String metricName, String description) {
    this.id = id;
    this.metricName = metricName;
    this.description = description;
  }

  /** Stable numeric id; never reused. */
  public int id() {
    return id;
  }

  /** Metric name, e.g. {@code rpc-received}. */
  public String metricName() {
    return metricName;
  }

  public String description() {
    return description;
  }
}
