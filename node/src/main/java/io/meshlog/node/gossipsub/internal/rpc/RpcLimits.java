package io.meshlog.node.gossipsub.internal.rpc;

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
    int maxPeerIdLength) {}
