/**
 * Internal: the router thread ({@code RouterLoop}), its binding to a host's streams ({@code
 * GossipStreams}), the gossipsub router state machine, peer scoring, message cache and the
 * hand-written RPC protobuf codec. Not API; use {@code io.meshlog.node.gossipsub}.
 */
package io.meshlog.node.gossipsub.internal;
