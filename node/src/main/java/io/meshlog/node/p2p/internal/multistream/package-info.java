/**
 * Internal: multistream-select 1.0 ({@code /multistream/1.0.0}), the protocol negotiation run on a
 * raw TCP connection, after Noise, and at the start of every Yamux stream. Not part of meshlog's
 * API; may change without notice.
 *
 * <p>{@link io.meshlog.node.p2p.internal.multistream.MultistreamNegotiator} is the state machine;
 * it is independent of where the bytes come from. {@link
 * io.meshlog.node.p2p.internal.multistream.MultistreamHandler} runs it on a Netty channel.
 */
package io.meshlog.node.p2p.internal.multistream;
