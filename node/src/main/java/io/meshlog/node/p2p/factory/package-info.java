/**
 * Starts the libp2p host: the one place that knows both the API of {@code io.meshlog.node.p2p} and
 * its Netty implementation, so that neither package depends back on the other.
 */
package io.meshlog.node.p2p.factory;
