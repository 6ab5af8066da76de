/**
 * Internal: the ping protocol ({@code /ipfs/ping/1.0.0}), both the echoing side and the measuring
 * side. Not part of meshlog's API; may change without notice.
 */
package io.meshlog.node.p2p.internal.ping;
