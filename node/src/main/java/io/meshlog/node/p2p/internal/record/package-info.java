/**
 * Internal: the hand-written protobuf codecs of the signed envelope (libp2p RFC 0002) and the peer
 * record (RFC 0003) that {@link io.meshlog.node.p2p.SignedEnvelope} and {@link
 * io.meshlog.node.p2p.PeerRecord} expose. Not part of meshlog's API; may change without notice.
 */
package io.meshlog.node.p2p.internal.record;
