/**
 * Internal: the identify protocol ({@code /ipfs/id/1.0.0} and {@code /ipfs/id/push/1.0.0}), its
 * hand-written protobuf codec and the stream logic that exchanges it on every new connection. Not
 * part of meshlog's API; may change without notice.
 */
package io.meshlog.node.p2p.internal.identify;
