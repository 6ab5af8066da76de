package io.meshlog.node.gossipsub;

import io.meshlog.eventlog.metrics.CounterDeclaration;
import io.meshlog.eventlog.metrics.CounterDescriptor;
import io.meshlog.eventlog.metrics.CounterKind;

/**
 * Every counter the gossipsub router keeps (ids 400-499), read with {@link
 * Gossipsub#counter(GossipCounter)}. A retired counter keeps its id as a comment.
 */
public enum GossipCounter implements CounterDescriptor {
  RPC_RECEIVED(401, "meshlog.gossip.rpcs.received", "RPCs received from peers"),
  RPC_SENT(402, "meshlog.gossip.rpcs.sent", "RPCs handed to the transport"),
  RPC_DROPPED(
      403,
      "meshlog.gossip.rpcs.dropped",
      "RPCs the transport refused (peer queue full or peer gone)"),
  RPC_REJECTED(404, "meshlog.gossip.rpcs.rejected", "RPCs rejected as oversized or malformed"),
  RPC_GRAYLISTED(
      405,
      "meshlog.gossip.rpcs.graylisted",
      "RPCs ignored because the peer is below the graylist threshold"),
  MESSAGES_PUBLISHED(406, "meshlog.gossip.messages.published", "messages this node published"),
  MESSAGES_DELIVERED(
      407, "meshlog.gossip.messages.delivered", "first valid deliveries of messages"),
  MESSAGES_DUPLICATE(408, "meshlog.gossip.messages.duplicate", "messages received again"),
  MESSAGES_REJECTED(
      409, "meshlog.gossip.messages.rejected", "messages rejected (signature, size, validator)"),
  MESSAGES_IGNORED(
      410,
      "meshlog.gossip.messages.ignored",
      "messages ignored by a validator or unsubscribed topic"),
  MESSAGES_FORWARDED(411, "meshlog.gossip.messages.forwarded", "message copies forwarded to peers"),
  IHAVE_RECEIVED(412, "meshlog.gossip.ihave.received", "IHAVE entries received"),
  IHAVE_IGNORED(
      413,
      "meshlog.gossip.ihave.ignored",
      "IHAVE entries ignored (over the per-heartbeat limit or low score)"),
  IWANT_RECEIVED(414, "meshlog.gossip.iwant.received", "IWANT ids received"),
  IWANT_IGNORED(
      415,
      "meshlog.gossip.iwant.ignored",
      "IWANT ids not served (unknown, over retransmission limit, low score)"),
  GRAFT_RECEIVED(416, "meshlog.gossip.grafts.received", "GRAFTs received"),
  GRAFT_REFUSED(
      417,
      "meshlog.gossip.grafts.refused",
      "GRAFTs answered with PRUNE (backoff, score, mesh full, not subscribed)"),
  PRUNE_RECEIVED(418, "meshlog.gossip.prunes.received", "PRUNEs received"),
  BROKEN_PROMISES(
      419, "meshlog.gossip.promises.broken", "IWANT promises not kept in time (P7 penalties)"),
  BEHAVIOUR_PENALTIES(420, "meshlog.gossip.behaviour.penalties", "P7 behaviour penalties applied"),
  HEARTBEATS(421, "meshlog.gossip.heartbeats", "heartbeats run"),
  INBOUND_QUEUE_FULL(
      422, "meshlog.gossip.inbound.queue.full", "router inputs refused because its queue was full"),
  ROUTER_ERRORS(
      423, "meshlog.gossip.router.errors", "unexpected exceptions caught in the router loop"),
  SEEN_EVICTED(
      424,
      "meshlog.gossip.seen.evicted",
      "seen-cache entries forgotten early because the cache was full"),
  PROMISES_DROPPED(
      425,
      "meshlog.gossip.promises.dropped",
      "IWANT requests not made because the peer's promise table was full"),
  IDONTWANT_RECEIVED(426, "meshlog.gossip.idontwant.received", "IDONTWANT ids received"),
  EARLY_RPCS_DROPPED(
      427,
      "meshlog.gossip.early.rpcs.dropped",
      "RPCs a peer sent before our own gossip stream to it was open, beyond what is held for it"),
  PEERS_GRAYLISTED(
      428,
      "meshlog.gossip.peers.graylisted",
      "times a peer's score fell below the graylist threshold (each fall counted once)");

  private final CounterDeclaration declaration;

  GossipCounter(int id, String meterName, String description) {
    this(id, meterName, CounterKind.COUNTER, description);
  }

  GossipCounter(int id, String meterName, CounterKind kind, String description) {
    this.declaration = new CounterDeclaration(id, meterName, kind, description);
  }

  @Override
  public CounterDeclaration declaration() {
    return declaration;
  }
}
