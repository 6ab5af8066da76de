/**
 * Internal: the router thread ({@code RouterLoop}), its binding to a host's streams ({@code
 * GossipStreams}), the gossipsub router state machine, peer scoring and the message cache; the RPC
 * protobuf codec is in {@code rpc}. Not API; use {@code io.meshlog.node.gossipsub}.
 */
package io.meshlog.node.gossipsub.internal;
