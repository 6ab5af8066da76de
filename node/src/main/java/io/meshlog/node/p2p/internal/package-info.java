/**
 * Internal: the libp2p protocols under {@code io.meshlog.node.p2p} (transport, multistream, noise,
 * yamux, identify, ping, crypto) and what they share ({@code Varint}). Not API; use {@code
 * io.meshlog.node.p2p}.
 */
package io.meshlog.node.p2p.internal;
