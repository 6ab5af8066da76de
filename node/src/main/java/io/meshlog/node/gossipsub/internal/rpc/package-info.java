/**
 * Internal: the gossipsub RPC protobuf ({@code rpc.proto} of the pubsub spec), its bounded decoder
 * and its encoder. Depends on no other part of gossipsub, so the API's {@code SignedMessage} can
 * encode with it without a package cycle.
 */
package io.meshlog.node.gossipsub.internal.rpc;
