package io.meshlog.node.gossipsub.internal;

import io.meshlog.node.gossipsub.GossipsubConfig;

/** Bounds the decoder enforces on one RPC, before and while decoding. */
public record RpcLimits(
    int maxRpcSize,
    int maxMessageSize,
    int maxSubscriptions,
    int maxMessages,
    int maxControlEntries,
    int maxIds,
    int maxPeersPerPrune,
    int maxTopicLength,
    int maxIdLength,
    int maxPeerIdLength) {

  public static RpcLimits of(GossipsubConfig c) {
    return new RpcLimits(
        c.maxRpcSize(),
        c.maxMessageSize(),
        c.maxSubscriptionsPerRpc(),
        c.maxMessagesPerRpc(),
        c.maxControlEntriesPerRpc(),
        c.maxIdsPerRpc(),
        c.maxPeersPerPrune(),
        c.maxTopicLength(),
        256,
        128);
  }
}
